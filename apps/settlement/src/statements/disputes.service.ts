import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DealerDirectoryService } from '@app/dealer-directory';
import { addQuarters, monthsOfQuarter } from '@app/kernel';
import { assertDealerAccess, AuditLogService, Clock, Principal } from '@app/platform';
import { DisputesRepository, DisputeView } from './disputes.repository';
import { assertMayDispute, disputeDeadline, DisputeDecision, validateResolution } from './statement-rules';
import { StatementsRepository } from './statements.repository';
import { DisputeAlreadyResolved, disputeNotFound, statementNotFound } from './statements.problems';

export type { DisputeView } from './disputes.repository';

/** Terms default when no agreement is known for the quarter (DOMAIN §2 seed default). */
const DEFAULT_DISPUTE_MONTHS = 3;

/** R-DSP-1 / R-DSP-2: disputes of posted statements and their resolution. */
@Injectable()
export class DisputesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly statements: StatementsRepository,
    private readonly disputes: DisputesRepository,
    private readonly directory: DealerDirectoryService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async raise(statementId: string, principal: Principal, reason: string): Promise<DisputeView> {
    const id = randomUUID();
    await this.db.transaction(async (em) => {
      const s = await this.statements.find(statementId, em);
      if (!s) throw statementNotFound(statementId);
      assertDealerAccess(principal, s.dealerCode);
      const terms = await this.directory.termsForMonth(s.dealerCode, monthsOfQuarter(s.quarter)[2], em);
      const months = terms?.terms.disputeMonths ?? DEFAULT_DISPUTE_MONTHS;
      const now = this.clock.now();
      assertMayDispute({ status: s.status, postedAt: s.postedAt ? new Date(s.postedAt) : null }, months, now);
      await this.disputes.insert(
        em,
        { id, statementId, dealerCode: s.dealerCode, quarter: s.quarter, reason, raisedBy: principal.sub },
        now,
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
      const d = await this.disputes.lock(em, id);
      if (d.status !== 'OPEN') throw new DisputeAlreadyResolved(id, d.status);
      const signed = validateResolution(decision, amount);
      const entersQuarter = signed === null ? null : await this.nextOpenQuarter(d.dealerCode, d.statementQuarter, em);
      const at = this.clock.now();
      await this.disputes.resolve(em, id, { decision, amount: signed, note, by: principal.sub, at, entersQuarter });
      await this.audit.record(em, {
        action: `dispute.${decision.toLowerCase()}`,
        entityType: 'dispute',
        entityId: id,
        dealerCode: d.dealerCode,
        details: { amount: signed, entersQuarter },
      });
    });
    return this.get(id, principal);
  }

  /** R-DSP-2: the first quarter after the disputed one whose statement is not yet frozen. */
  private async nextOpenQuarter(dealerCode: string, after: string, em: EntityManager): Promise<string> {
    const frozen = await this.statements.frozenQuartersAfter(dealerCode, after, em);
    let q = addQuarters(after, 1);
    while (frozen.has(q)) q = addQuarters(q, 1);
    return q;
  }

  async get(id: string, principal: Principal): Promise<DisputeView> {
    const d = await this.disputes.find(id);
    if (!d) throw disputeNotFound(id);
    assertDealerAccess(principal, d.dealerCode);
    return d;
  }

  list(
    dealer: string | undefined,
    status: string | undefined,
    after: { at: string; id: string } | undefined,
    limit: number,
  ) {
    return this.disputes.list(dealer, status, after, limit);
  }
}
