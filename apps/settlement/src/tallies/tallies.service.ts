import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AgreementTerms, DealerBalanceTallied } from '@app/contracts';
import { termsInForce } from '@app/dealer-directory';
import { addMonths, quarterOfMonth, reportDueAt, shanghaiDate } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, decodePageCursor, isolateFailures, Page, toPage } from '@app/platform';
import { tallyMonth } from '../engine/tally';
import { FactsRepository, StatementInputRequest } from '../projections/facts.repository';
import { StatementsRepository } from '../statements/statements.repository';
import { tallyRequests } from './quarter-context';
import { DealerTallyView, TalliesRepository, TallyRun, TallyTrigger } from './tallies.repository';

export type { DealerTallyView, TallyTrigger } from './tallies.repository';

export interface TallyError {
  dealerCode: string;
  message: string;
}

export interface TallyRunView {
  month: string;
  quarter: string;
  trigger: TallyTrigger;
  /** Dealers tallied. */
  dealers: number;
  talliedBy: string;
  talliedAt: string;
  /** Dealers that could not be tallied, each with its reason. */
  errors: TallyError[];
}

const BATCH = 500;

/** R-SET-1: the monthly tally — the month's figures and the quarter-to-date balance per dealer. */
@Injectable()
export class TalliesService {
  private readonly logger = new Logger(TalliesService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: TalliesRepository,
    private readonly statements: StatementsRepository,
    private readonly facts: FactsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * Tallies `month` for the given dealers (default: every dealer with terms in force in the month).
   * A dealer whose tally cannot be computed or stored is listed in `errors` with its own message;
   * the other dealers are tallied.
   */
  async tally(
    month: string,
    trigger: TallyTrigger,
    by: string,
    now: Date,
    onlyDealers?: string[],
  ): Promise<TallyRunView> {
    const quarter = quarterOfMonth(month);
    const codes = onlyDealers ?? (await this.dealersWithTerms(month)).map((d) => d.code);
    const errors: TallyError[] = [];
    let done = 0;
    for (let i = 0; i < codes.length; i += BATCH) {
      done += await this.tallyEach(codes.slice(i, i + BATCH), month, quarter, { trigger, by, now }, errors);
    }
    if (errors.length > 0)
      this.logger.warn(
        `tally of ${month}: ${errors.length} dealer(s) not tallied: ${errors.map((e) => e.dealerCode).join(', ')}`,
      );
    return this.db.transaction(async (em) => {
      await this.repository.recordMonth(em, month, done, { trigger, by, now });
      await this.audit.record(em, {
        action: 'tally.run',
        entityType: 'tally',
        entityId: month,
        details: {
          trigger,
          dealers: done,
          onlyDealers: onlyDealers?.length ?? null,
          ...(errors.length > 0 ? { errors } : {}),
        },
      });
      return { month, quarter, trigger, dealers: done, talliedBy: by, talliedAt: now.toISOString(), errors };
    });
  }

  /** Tallies a batch in one transaction; a dealer whose tally cannot be computed or stored is listed with its error. Returns how many were tallied. */
  private async tallyEach(
    batch: string[],
    month: string,
    quarter: string,
    run: TallyRun,
    errors: TallyError[],
  ): Promise<number> {
    const counts = await isolateFailures(
      batch,
      async (part) => [await this.db.transaction((em) => this.tallyBatch(em, part, month, quarter, run))],
      (dealerCode, err) => errors.push({ dealerCode, message: err instanceof Error ? err.message : String(err) }),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  private async tallyBatch(
    em: EntityManager,
    batch: string[],
    month: string,
    quarter: string,
    run: TallyRun,
  ): Promise<number> {
    const inputs = await this.facts.loadStatementInputs(
      await this.requests(em, batch, quarter),
      quarter,
      { now: run.now },
      em,
    );
    const tallies = inputs.map((input) => ({ input, t: tallyMonth(input, month) }));
    if (tallies.length === 0) return 0;
    await this.repository.upsert(em, month, quarter, tallies, run);
    await this.outbox.enqueue(
      em,
      tallies.map((x) => ({
        definition: DealerBalanceTallied,
        dealerCode: x.input.dealerCode,
        payload: { dealerCode: x.input.dealerCode, quarter, balance: x.t.quarterBalance, asOf: run.now.toISOString() },
      })),
    );
    return tallies.length;
  }

  /**
   * The scheduled check: for the last three months, tallies each dealer whose report due time
   * (its terms' reportDueDay of the next month, Asia/Shanghai) has passed and that has no tally yet.
   */
  async tallyDue(now: Date): Promise<TallyRunView[]> {
    const current = shanghaiDate(now).slice(0, 7);
    const runs: TallyRunView[] = [];
    for (const month of [addMonths(current, -3), addMonths(current, -2), addMonths(current, -1)]) {
      const dealers = await this.dealersWithTerms(month);
      const tallied = await this.repository.talliedDealers(month);
      const due = dealers
        .filter((d) => !tallied.has(d.code) && reportDueAt(month, d.terms.reportDueDay).getTime() <= now.getTime())
        .map((d) => d.code);
      if (due.length === 0) continue;
      runs.push(await this.tally(month, 'SCHEDULE', 'system', now, due));
      this.logger.log(`tallied ${month} for ${due.length} dealers (report due time passed)`);
    }
    return runs;
  }

  async listTallies(
    month: string,
    filter: { dealer?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<DealerTallyView>> {
    const rows = await this.repository.list(month, filter.dealer, decodePageCursor(page.cursor), page.limit);
    return toPage(rows, page.limit, (v) => v.dealerCode);
  }

  /** The stored tallies of a dealer's quarter, by month. */
  async dealerTallies(
    dealerCode: string,
    quarter: string,
    em: EntityManager = this.db.manager,
    asOf?: Date,
  ): Promise<DealerTallyView[]> {
    return this.repository.ofDealerQuarter(dealerCode, quarter, em, asOf);
  }

  /**
   * Each dealer's opening and approved quarters for a provisional computation of `quarter`;
   * with `asOf`, only the statements approved by then count (the statements as they stood then).
   */
  async requests(
    em: EntityManager,
    dealerCodes: string[],
    quarter: string,
    asOf?: Date,
  ): Promise<StatementInputRequest[]> {
    if (dealerCodes.length === 0) return [];
    return tallyRequests(await this.statements.frozenBefore(em, dealerCodes, quarter, asOf), dealerCodes, quarter);
  }

  private async dealersWithTerms(month: string): Promise<Array<{ code: string; terms: AgreementTerms }>> {
    const byDealer = await this.repository.agreementsBy(month);
    return [...byDealer].flatMap(([code, versions]) => {
      const v = termsInForce(versions, month);
      return v ? [{ code, terms: v.terms }] : [];
    });
  }
}
