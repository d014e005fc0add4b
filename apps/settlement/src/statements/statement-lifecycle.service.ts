import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QuarterApproved, StatementPosted } from '@app/contracts';
import { monthsOfQuarter } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Clock, notFoundProblem, Principal, ProblemException } from '@app/platform';
import { StatementComputer } from './statement-computer';
import {
  assertMayApprove,
  assertMayPost,
  canonicalLines,
  contentHash,
  ledgerIsBalanced,
  ledgerLinesFor,
} from './statement-rules';
import { StatementRecord, StatementStore, StatementWithLines } from './statement-store';

/** R-SET-8: DRAFT → APPROVED (frozen, months closed in dealers) → POSTED (ledger, next opening, event). */
@Injectable()
export class StatementLifecycleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: StatementStore,
    private readonly computer: StatementComputer,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async approve(id: string, principal: Principal): Promise<StatementWithLines> {
    await this.db.transaction(async (em) => {
      const s = await this.store.find(id, em, true);
      if (!s) throw notFoundProblem(`Statement ${id} was not found.`);
      assertMayApprove(s, principal.sub);
      const approvedAt = this.clock.now();
      // The frozen content must be what the facts known now give: a draft computed before facts that
      // arrived since would otherwise freeze without them and R-SET-7 would never see them (they are not late).
      const [fresh] = await this.computer.compute([s.dealerCode], s.quarter, { asOf: approvedAt }, em);
      if ('error' in fresh)
        throw new ProblemException({
          status: 409,
          type: 'statement-not-computable',
          code: 'STATEMENT_NOT_COMPUTABLE',
          detail: fresh.error,
        });
      const r = fresh.result;
      const hash = contentHash({
        dealerCode: r.dealerCode,
        quarter: r.quarter,
        settlementMode: r.settlementMode,
        opening: r.openingBalance,
        closing: r.closing,
        lines: canonicalLines(r.lines),
      });
      if (hash !== s.contentHash) {
        throw new ProblemException({
          status: 409,
          type: 'draft-outdated',
          code: 'DRAFT_OUTDATED',
          detail: `Facts changed since the draft was computed (stored hash ${s.contentHash}, current ${hash}); run the settlement for ${s.quarter} again before approving.`,
        });
      }
      await em.query(`UPDATE statements SET status = 'APPROVED', approved_by = $2, approved_at = $3 WHERE id = $1`, [
        id,
        principal.sub,
        approvedAt,
      ]);
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

  async post(id: string, principal: Principal): Promise<StatementWithLines> {
    await this.db.transaction(async (em) => {
      const s = await this.store.find(id, em, true);
      if (!s) throw notFoundProblem(`Statement ${id} was not found.`);
      assertMayPost(s);
      const postedAt = this.clock.now();
      const lines = await this.store.lines(id, em);
      const entries = ledgerLinesFor({ dealerCode: s.dealerCode, quarter: s.quarter, lines, outcome: s.outcome });
      if (!ledgerIsBalanced(entries)) throw new Error(`ledger postings of statement ${id} do not balance`);
      if (entries.length > 0) {
        await em.query(
          `INSERT INTO ledger_entries (statement_id, dealer_code, quarter, account, debit, credit, memo, posted_at)
           SELECT $1, $2, $3, u.account, u.debit, u.credit, u.memo, $4 FROM unnest($5::text[], $6::numeric[], $7::numeric[], $8::text[]) WITH ORDINALITY AS u(account, debit, credit, memo, n)
           ORDER BY u.n`,
          [
            id,
            s.dealerCode,
            s.quarter,
            postedAt,
            entries.map((e) => e.account),
            entries.map((e) => e.debit),
            entries.map((e) => e.credit),
            entries.map((e) => e.memo),
          ],
        );
      }
      await em.query(`UPDATE statements SET status = 'POSTED', posted_by = $2, posted_at = $3 WHERE id = $1`, [
        id,
        principal.sub,
        postedAt,
      ]);
      await this.outbox.enqueue(em, [
        { definition: StatementPosted, dealerCode: s.dealerCode, payload: postedPayload(s, postedAt) },
      ]);
      await this.audit.record(em, {
        action: 'statement.posted',
        entityType: 'statement',
        entityId: id,
        dealerCode: s.dealerCode,
        details: { quarter: s.quarter, ledgerEntries: entries.length, nextOpening: s.outcome.nextOpening },
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
