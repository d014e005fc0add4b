import { Inject, Injectable } from '@nestjs/common';
import { DealerDirectoryService } from '@app/dealer-directory';
import { assertDealerAccess, Principal, SERVICE_CONFIG, ServiceConfig, SETTLEMENT_DEFAULTS } from '@app/platform';
import { LedgerEntryView, LedgerRepository } from '../ledger/ledger.repository';
import { StatementRecord, StatementsRepository } from '../statements/statements.repository';
import { statementNotFound } from '../statements/statements.problems';
import type { ExportedStatement } from './statement-columns';
import type { Manufacturer } from './statement-pdf';

/** Rows read per query while collecting a whole quarter or ledger for one file. */
const BATCH = 500;

/** What the exports print: statements with their dealers' names, the ledger, and the manufacturer from configuration. */
@Injectable()
export class ExportsService {
  readonly manufacturer: Manufacturer;

  constructor(
    private readonly store: StatementsRepository,
    private readonly directory: DealerDirectoryService,
    private readonly ledger: LedgerRepository,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.manufacturer = (config.settlement ?? SETTLEMENT_DEFAULTS).manufacturer;
  }

  /** One statement with its lines; a dealer may only have its own (others' answer 404, as reading them does). */
  async statement(id: string, principal: Principal): Promise<ExportedStatement> {
    const s = await this.store.findWithLines(id);
    if (!s) throw statementNotFound(id);
    assertDealerAccess(principal, s.dealerCode);
    const names = await this.directory.dealerNames([s.dealerCode]);
    return { ...s, dealerName: names.get(s.dealerCode) ?? null };
  }

  /** Every dealer's statement of the quarter, by dealer code, with lines. */
  async quarter(quarter: string): Promise<ExportedStatement[]> {
    const all: StatementRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.store.list({ quarter }, after, BATCH);
      all.push(...page.slice(0, BATCH));
      if (page.length <= BATCH) break;
      after = `${page[BATCH - 1].quarter}|${page[BATCH - 1].dealerCode}`;
    }
    const lines = await this.store.linesOf(all.map((s) => s.id));
    const names = await this.directory.dealerNames(all.map((s) => s.dealerCode));
    return all.map((s) => ({ ...s, lines: lines.get(s.id) ?? [], dealerName: names.get(s.dealerCode) ?? null }));
  }

  /** Every ledger entry matching the filter, in posting order. */
  async ledgerEntries(filter: { dealer?: string; quarter?: string; account?: string }): Promise<LedgerEntryView[]> {
    const all: LedgerEntryView[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.ledger.list(filter, after, BATCH);
      all.push(...page.slice(0, BATCH));
      if (page.length <= BATCH) return all;
      after = page[BATCH - 1].id;
    }
  }
}
