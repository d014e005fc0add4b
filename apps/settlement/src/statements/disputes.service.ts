import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DealerDirectoryService } from '@app/dealer-directory';
import { addQuarters, monthsOfQuarter } from '@app/kernel';
import {
  assertDealerAccess,
  AuditLogService,
  Clock,
  notFoundProblem,
  Principal,
  ProblemException,
} from '@app/platform';
import { assertMayDispute, disputeDeadline, DisputeDecision, validateResolution } from './statement-rules';
import { StatementStore } from './statement-store';

export interface DisputeView {
  id: string;
  statementId: string;
  dealerCode: string;
  quarter: string;
  reason: string;
  status: 'OPEN' | 'REJECTED' | 'ACCEPTED';
  raisedBy: string;
  raisedAt: string;
  amount: string | null;
  note: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  /** R-DSP-2: the quarter whose statement carries the accepted amount. */
  entersQuarter: string | null;
}

/** Terms default when no agreement is known for the quarter (DOMAIN §2 seed default). */
const DEFAULT_DISPUTE_MONTHS = 3;

/** R-DSP-1 / R-DSP-2: disputes of posted statements and their resolution. */
@Injectable()
export class DisputesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: StatementStore,
    private readonly directory: DealerDirectoryService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async raise(statementId: string, principal: Principal, reason: string): Promise<DisputeView> {
    const id = randomUUID();
    await this.db.transaction(async (em) => {
      const s = await this.store.find(statementId, em);
      if (!s) throw notFoundProblem(`Statement ${statementId} was not found.`);
      assertDealerAccess(principal, s.dealerCode);
      const terms = await this.directory.termsForMonth(s.dealerCode, monthsOfQuarter(s.quarter)[2], em);
      const months = terms?.terms.disputeMonths ?? DEFAULT_DISPUTE_MONTHS;
      const now = this.clock.now();
      assertMayDispute({ status: s.status, postedAt: s.postedAt ? new Date(s.postedAt) : null }, months, now);
      await em.query(
        `INSERT INTO disputes (id, statement_id, dealer_code, quarter, reason, status, raised_by, raised_at) VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7)`,
        [id, statementId, s.dealerCode, s.quarter, reason, principal.sub, now],
      );
      await this.audit.record(em, {
        action: 'dispute.raised',
        entityType: 'dispute',
        entityId: id,
        dealerCode: s.dealerCode,
        details: {
          statementId,
          quarter: s.quarter,
          deadline: disputeDeadline(new Date(s.postedAt as string), months).toISOString(),
        },
      });
    });
    return this.get(id, principal);
  }

  async resolve(
    id: string,
    principal: Principal,
    decision: DisputeDecision,
    amount: string | undefined,
    note: string,
  ): Promise<DisputeView> {
    await this.db.transaction(async (em) => {
      const [d] = await em.query(
        `SELECT d.*, s.quarter AS statement_quarter FROM disputes d JOIN statements s ON s.id = d.statement_id WHERE d.id = $1 FOR UPDATE OF d`,
        [id],
      );
      if (!d) throw notFoundProblem(`Dispute ${id} was not found.`);
      if (d.status !== 'OPEN')
        throw new ProblemException({
          status: 409,
          type: 'dispute-resolved',
          code: 'DISPUTE_ALREADY_RESOLVED',
          detail: `Dispute ${id} is already ${d.status}.`,
        });
      const signed = validateResolution(decision, amount);
      const entersQuarter =
        signed === null ? null : await this.nextOpenQuarter(d.dealer_code, d.statement_quarter.trim(), em);
      await em.query(
        `UPDATE disputes SET status = $2, decision_amount = $3, note = $4, resolved_by = $5, resolved_at = $6, resolved_period = $7 WHERE id = $1`,
        [id, decision, signed, note, principal.sub, this.clock.now(), entersQuarter],
      );
      await this.audit.record(em, {
        action: `dispute.${decision.toLowerCase()}`,
        entityType: 'dispute',
        entityId: id,
        dealerCode: d.dealer_code,
        details: { amount: signed, entersQuarter },
      });
    });
    return this.get(id, principal);
  }

  /** R-DSP-2: the first quarter after the disputed one whose statement is not yet frozen. */
  private async nextOpenQuarter(dealerCode: string, after: string, em: EntityManager): Promise<string> {
    const rows: Array<{ quarter: string }> = await em.query(
      `SELECT quarter FROM statements WHERE dealer_code = $1 AND quarter > $2 AND status IN ('APPROVED', 'POSTED')`,
      [dealerCode, after],
    );
    const frozen = new Set(rows.map((r) => r.quarter.trim()));
    let q = addQuarters(after, 1);
    while (frozen.has(q)) q = addQuarters(q, 1);
    return q;
  }

  async get(id: string, principal: Principal): Promise<DisputeView> {
    const [d] = await this.db.query(`SELECT * FROM disputes WHERE id = $1`, [id]);
    if (!d) throw notFoundProblem(`Dispute ${id} was not found.`);
    assertDealerAccess(principal, d.dealer_code);
    return toView(d);
  }

  async list(
    dealer: string | undefined,
    status: string | undefined,
    after: string | undefined,
    limit: number,
  ): Promise<DisputeView[]> {
    const rows = await this.db.query(
      `SELECT * FROM disputes WHERE ($1::text IS NULL OR dealer_code = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id::text > $3)
       ORDER BY id LIMIT $4`,
      [dealer ?? null, status ?? null, after ?? null, limit + 1],
    );
    return rows.map(toView);
  }
}

function toView(d: Record<string, any>): DisputeView {
  return {
    id: d.id,
    statementId: d.statement_id,
    dealerCode: d.dealer_code,
    quarter: d.quarter.trim(),
    reason: d.reason,
    status: d.status,
    raisedBy: d.raised_by,
    raisedAt: new Date(d.raised_at).toISOString(),
    amount: d.decision_amount ?? null,
    note: d.note ?? null,
    resolvedBy: d.resolved_by ?? null,
    resolvedAt: d.resolved_at ? new Date(d.resolved_at).toISOString() : null,
    entersQuarter: d.resolved_period ? d.resolved_period.trim() : null,
  };
}
