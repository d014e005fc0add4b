import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ComplaintRecorded, ViolationRecorded } from '@app/contracts';
import { isDateWithinLimits } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import {
  assertDealerAccess,
  AuditLogService,
  dealerScope,
  decodePageCursor,
  invalidCursorProblem,
  MessageRef,
  notFoundProblem,
  Page,
  Principal,
  problemText,
  toPage,
} from '@app/platform';
import { AgreementsRepository } from '../agreements/agreements.repository';
import { DealersService } from '../registry/dealers.service';
import { ListPenaltyInputsQuery, PenaltyInputView } from './penalty-input.dto';
import { penaltyContentHash, PenaltyTerm, resolvePenaltyAmount } from './penalty-amount';
import { ReferenceReusedProblem } from './penalty-inputs.problems';
import { PenaltyInputKind, PenaltyInputsRepository, PenaltyRow } from './penalty-inputs.repository';

export type { PenaltyInputKind } from './penalty-inputs.repository';

const SPECS: Record<PenaltyInputKind, { term: PenaltyTerm; label: MessageRef }> = {
  complaint: { term: 'complaintPenalty', label: { key: 'reasons.penalties.complaint' } },
  violation: { term: 'violationPenalty', label: { key: 'reasons.penalties.violation' } },
};

/** A penalty list's cursor key: the date and seq of the last item. */
const DATE_SEQ_KEY = /^(\d{4}-\d{2}-\d{2})\|(\d{1,18})$/;

export interface PenaltyInput {
  dealerCode: string;
  reference: string;
  date: string;
  amount?: string;
  description: string;
  /** Violations only. */
  kind?: string;
}

export type PenaltyView = PenaltyInputView & { kind?: string };

/** The record, and whether it was created now (false: a retry of the same reference and content). */
export interface Recorded {
  view: PenaltyView;
  created: boolean;
}

function toView(kind: PenaltyInputKind, r: PenaltyRow): PenaltyView {
  return {
    id: r.id,
    reference: r.reference,
    dealerCode: r.dealer_code,
    date: r.date,
    ...(kind === 'violation' ? { kind: r.kind } : {}),
    amount: r.amount,
    amountSource: r.amount_source,
    agreementVersion: r.agreement_version,
    description: r.description,
    recordedBy: r.recorded_by,
    recordedAt: new Date(r.recorded_at).toISOString(),
  };
}

/** The (date, seq) a cursor carries; a 400 for anything this list did not write. */
function decodeDateSeqCursor(cursor: string | undefined): { date: string; seq: string } | undefined {
  const after = decodePageCursor(cursor, DATE_SEQ_KEY);
  if (after === undefined) return undefined;
  const [, date, seq] = DATE_SEQ_KEY.exec(after) as RegExpExecArray;
  if (!isDateWithinLimits(date)) throw invalidCursorProblem();
  return { date, seq };
}

/**
 * Complaints and violations (DOMAIN §6): recorded by after-sales, idempotent on the external
 * reference, the amount defaulting from the terms in force for the date's month (R-AGR-1),
 * each published (ComplaintRecorded / ViolationRecorded) in the same transaction.
 */
@Injectable()
export class PenaltyInputsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inputs: PenaltyInputsRepository,
    private readonly agreements: AgreementsRepository,
    private readonly dealers: DealersService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  /** Returns the record and whether it was created now (false: the same reference and content were recorded before). */
  async record(kind: PenaltyInputKind, input: PenaltyInput, actor: Principal): Promise<Recorded> {
    const hash = penaltyContentHash(input);
    const existing = await this.inputs.findByReference(kind, input.reference);
    if (existing) return { view: this.sameOrConflict(kind, existing, hash), created: false };
    await this.dealers.requireExisting(input.dealerCode);
    const versions = await this.agreements.termsVersions(input.dealerCode);
    const resolved = resolvePenaltyAmount(SPECS[kind].term, versions, input.dealerCode, input.date, input.amount);
    return this.db.transaction(async (em) => {
      const inserted = await this.inputs.insertNew(em, kind, {
        id: randomUUID(),
        reference: input.reference,
        dealerCode: input.dealerCode,
        date: input.date,
        amount: resolved.amount,
        amountSource: resolved.source,
        agreementVersion: resolved.agreementVersion,
        description: input.description,
        contentHash: hash,
        recordedBy: actor.sub,
        kind: input.kind,
      });
      if (!inserted) {
        // Lost a race with the same reference: answer as for a retry.
        const winner = await this.inputs.findByReference(kind, input.reference, em);
        if (!winner) throw new Error(`${kind}s: reference ${input.reference} conflicted but is not visible`);
        return { view: this.sameOrConflict(kind, winner, hash), created: false };
      }
      const view = toView(kind, inserted);
      await this.publish(em, kind, view);
      return { view, created: true };
    });
  }

  async get(kind: PenaltyInputKind, id: string, principal: Principal): Promise<PenaltyView> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.inputs.findById(kind, id) : undefined;
    if (!row) throw notFoundProblem(problemText('penaltyInputNotFound', { label: SPECS[kind].label, id }));
    assertDealerAccess(principal, row.dealer_code);
    return toView(kind, row);
  }

  /** Ordered by date, then recording order; filtered by dealer (a dealer sees only its own) and period. */
  async list(kind: PenaltyInputKind, query: ListPenaltyInputsQuery, principal: Principal): Promise<Page<PenaltyView>> {
    const limit = query.limit ?? 100;
    const rows = await this.inputs.page(
      kind,
      {
        dealer: dealerScope(principal, query.dealer),
        month: query.month,
        from: query.from,
        to: query.to,
        after: decodeDateSeqCursor(query.cursor),
      },
      limit,
    );
    const page = toPage(rows, limit, (r) => `${r.date}|${r.seq}`);
    return { items: page.items.map((r) => toView(kind, r)), nextCursor: page.nextCursor };
  }

  /** ComplaintRecorded or ViolationRecorded, and the audit entry. */
  private async publish(em: EntityManager, kind: PenaltyInputKind, view: PenaltyView): Promise<void> {
    const { dealerCode, id, reference, date, amount, description } = view;
    await this.outbox.enqueue(em, [
      kind === 'complaint'
        ? {
            definition: ComplaintRecorded,
            dealerCode,
            payload: { dealerCode, complaintId: id, reference, date, amount, description },
          }
        : {
            definition: ViolationRecorded,
            dealerCode,
            payload: { dealerCode, violationId: id, reference, date, kind: view.kind as string, amount, description },
          },
    ]);
    await this.audit.record(em, {
      action: `${kind}.recorded`,
      entityType: kind,
      entityId: id,
      dealerCode,
      details: {
        reference,
        date,
        amount,
        amountSource: view.amountSource,
        agreementVersion: view.agreementVersion,
        ...(view.kind ? { kind: view.kind } : {}),
      },
    });
  }

  /** Same reference and same content → the first answer; other content → 409. */
  private sameOrConflict(kind: PenaltyInputKind, row: PenaltyRow, hash: string): PenaltyView {
    if (row.content_hash !== hash) throw new ReferenceReusedProblem(SPECS[kind].label, row.reference, row.id);
    return toView(kind, row);
  }
}
