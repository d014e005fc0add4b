import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QuarterApproved, StatementPosted } from '@app/contracts';
import { monthsOfQuarter } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Clock, Principal } from '@app/platform';
import { LedgerRepository } from '../ledger/ledger.repository';
import { chainLink } from './statement-chain';
import { StatementChainRepository } from './statement-chain.repository';
import { StatementComputer } from './statement-computer';
import { assertMayApprove, assertMayPost, ledgerIsBalanced, ledgerLinesFor, resultHash } from './statement-rules';
import { StatementRecord, StatementsRepository, StatementWithLines } from './statements.repository';
import { DraftOutdated, MonthsPending, StatementNotComputable } from './statements.problems';

/** R-SET-8: DRAFT → APPROVED (frozen, months closed in dealers) → POSTED (ledger, next opening, event). */
@Injectable()
export class StatementLifecycleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: StatementsRepository,
    private readonly chain: StatementChainRepository,
    private readonly ledger: LedgerRepository,
    private readonly computer: StatementComputer,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async approve(id: string, principal: Principal): Promise<StatementWithLines> {
    await this.db.transaction(async (em) => {
      const s = await this.store.lock(em, id);
      assertMayApprove(s, principal.sub);
      const approvedAt = this.clock.now();
      await this.assertStillCurrent(em, s, approvedAt);
      await this.store.markApproved(em, id, principal.sub, approvedAt);
      await this.outbox.enqueue(em, [
        {
          definition: QuarterApproved,
          dealerCode: s.dealerCode,
          payload: {
            dealerCode: s.dealerCode,
            quarter: s.quarter,
            statementId: id,
            months: monthsOfQuarter(s.quarter),
            approvedBy: principal.sub,
            approvedAt: approvedAt.toISOString(),
          },
        },
      ]);
      await this.audit.record(em, {
        action: 'statement.approved',
        entityType: 'statement',
        entityId: id,
        dealerCode: s.dealerCode,
        details: { quarter: s.quarter, contentHash: s.contentHash },
      });
    });
    return (await this.store.findWithLines(id)) as StatementWithLines;
  }

  /**
   * No month of the quarter may still be PENDING (DOMAIN §9), and the frozen content must be what
   * the facts known now give: a draft computed before facts that arrived since would otherwise
   * freeze without them and R-SET-7 would never see them (they are not late).
   */
  private async assertStillCurrent(em: EntityManager, s: StatementRecord, approvedAt: Date): Promise<void> {
    const [fresh] = await this.computer.compute([s.dealerCode], s.quarter, { asOf: approvedAt }, em);
    if ('error' in fresh) throw new StatementNotComputable(fresh.error);
    if (fresh.result.pendingMonths.length > 0) throw new MonthsPending(s.quarter, fresh.result.pendingMonths);
    const hash = resultHash(fresh.result);
    if (hash !== s.contentHash) throw new DraftOutdated(s.quarter, s.contentHash, hash);
  }

  async post(id: string, principal: Principal): Promise<StatementWithLines> {
    await this.db.transaction(async (em) => {
      const s = await this.store.lock(em, id);
      assertMayPost(s);
      // The chain's lock is taken before the posting instant, so sequence order is posting order.
      const head = await this.chain.lockHead(em);
      const postedAt = this.clock.now();
      const lines = await this.store.lines(id, em);
      const entries = ledgerLinesFor({ dealerCode: s.dealerCode, quarter: s.quarter, lines, outcome: s.outcome });
      if (!ledgerIsBalanced(entries)) throw new Error(`ledger postings of statement ${id} do not balance`);
      await this.ledger.append(em, s, entries, postedAt);
      await this.store.markPosted(em, id, principal.sub, postedAt);
      const link = chainLink(
        {
          statementId: id,
          dealerCode: s.dealerCode,
          quarter: s.quarter,
          contentHash: s.contentHash,
          postedAt: postedAt.toISOString(),
        },
        head.sequence + 1,
        head.chainHash,
      );
      await this.chain.append(em, id, link);
      await this.outbox.enqueue(em, [
        { definition: StatementPosted, dealerCode: s.dealerCode, payload: postedPayload(s, postedAt) },
      ]);
      await this.audit.record(em, {
        action: 'statement.posted',
        entityType: 'statement',
        entityId: id,
        dealerCode: s.dealerCode,
        details: {
          quarter: s.quarter,
          ledgerEntries: entries.length,
          nextOpening: s.outcome.nextOpening,
          chainSequence: link.sequence,
          chainHash: link.chainHash,
        },
      });
    });
    return (await this.store.findWithLines(id)) as StatementWithLines;
  }
}

function postedPayload(s: StatementRecord, postedAt: Date) {
  return {
    dealerCode: s.dealerCode,
    quarter: s.quarter,
    statementId: s.id,
    closing: s.closing,
    carriedForward: s.outcome.carriedForward,
    billedToDealer: s.outcome.billedToDealer,
    payableToDealer: s.outcome.payableToDealer,
    nextOpening: s.outcome.nextOpening,
    postedAt: postedAt.toISOString(),
  };
}
