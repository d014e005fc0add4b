import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ComplaintRecorded, ViolationRecorded } from '@app/contracts';
import { firstDayOfMonth, isDateWithinLimits, lastDayOfMonth } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import {
  assertDealerAccess,
  AuditLogService,
  dealerScope,
  decodePageCursor,
  notFoundProblem,
  Page,
  Principal,
  ProblemException,
  toPage,
  validationProblem,
} from '@app/platform';
import { DealersService } from '../registry/dealers.service';
import { ListPenaltyInputsQuery, PenaltyInputView } from './penalty-input.dto';
import { penaltyContentHash, PenaltyTerm, PenaltyTermsVersion, resolvePenaltyAmount } from './penalty-amount';

export type PenaltyInputKind = 'complaint' | 'violation';

interface KindSpec {
  table: 'complaints' | 'violations';
  term: PenaltyTerm;
  label: string;
}

const SPECS: Record<PenaltyInputKind, KindSpec> = {
  complaint: { table: 'complaints', term: 'complaintPenalty', label: 'Complaint' },
  violation: { table: 'violations', term: 'violationPenalty', label: 'Violation' },
};

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

interface Row {
  id: string;
  seq: string;
  reference: string;
  dealer_code: string;
  date: string;
  kind?: string;
  amount: string;
  amount_source: string;
  agreement_version: number | null;
  description: string;
  content_hash: string;
  recorded_by: string;
  recorded_at: Date;
}

function columns(kind: PenaltyInputKind): string {
  return `id, seq, reference, dealer_code, to_char(date, 'YYYY-MM-DD') AS date, ${kind === 'violation' ? 'kind, ' : ''}amount::text AS amount,
          amount_source, agreement_version, description, content_hash, recorded_by, recorded_at`;
}

function toView(kind: PenaltyInputKind, r: Row): PenaltyView {
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

/**
 * Complaints and violations (DOMAIN §6): recorded by after-sales, idempotent on the external
 * reference, the amount defaulting from the terms in force for the date's month (R-AGR-1),
 * each published (ComplaintRecorded / ViolationRecorded) in the same transaction.
 */
@Injectable()
export class PenaltyInputsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dealers: DealersService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  /** Returns the record and whether it was created now (false: the same reference and content were recorded before). */
  async record(
    kind: PenaltyInputKind,
    input: PenaltyInput,
    actor: Principal,
  ): Promise<{ view: PenaltyView; created: boolean }> {
    const spec = SPECS[kind];
    if (!isDateWithinLimits(input.date))
      throw validationProblem([
        {
          field: 'date',
          rule: 'calendarDate',
          message: 'date must be a real calendar date from 2000-01-01 to 2099-12-31',
        },
      ]);
    const hash = penaltyContentHash(input);
    const existing = await this.findByReference(this.db.manager, kind, input.reference);
    if (existing) return { view: this.sameOrConflict(kind, existing, hash), created: false };

    await this.dealers.requireExisting(input.dealerCode);
    const versions = await this.agreementVersions(input.dealerCode);
    const resolved = resolvePenaltyAmount(spec.term, versions, input.dealerCode, input.date, input.amount);

    return this.db.transaction(async (em) => {
      const id = randomUUID();
      const kindCol = kind === 'violation' ? ', kind' : '';
      const kindVal = kind === 'violation' ? ', $11' : '';
      const params: unknown[] = [
        id,
        input.reference,
        input.dealerCode,
        input.date,
        resolved.amount,
        resolved.source,
        resolved.agreementVersion,
        input.description,
        hash,
        actor.sub,
      ];
      if (kind === 'violation') params.push(input.kind);
      const inserted: Row[] = await em.query(
        `INSERT INTO ${spec.table} (id, reference, dealer_code, date, amount, amount_source, agreement_version, description, content_hash, recorded_by${kindCol})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10${kindVal})
         ON CONFLICT (reference) DO NOTHING
         RETURNING ${columns(kind)}`,
        params,
      );
      if (inserted.length === 0) {
        // Lost a race with the same reference: answer as for a retry.
        const winner = await this.findByReference(em, kind, input.reference);
        if (!winner) throw new Error(`${spec.table}: reference ${input.reference} conflicted but is not visible`);
        return { view: this.sameOrConflict(kind, winner, hash), created: false };
      }
      const view = toView(kind, inserted[0]);
      if (kind === 'complaint') {
        await this.outbox.enqueue(em, [
          {
            definition: ComplaintRecorded,
            dealerCode: view.dealerCode,
            payload: {
              dealerCode: view.dealerCode,
              complaintId: view.id,
              reference: view.reference,
              date: view.date,
              amount: view.amount,
              description: view.description,
            },
          },
        ]);
      } else {
        await this.outbox.enqueue(em, [
          {
            definition: ViolationRecorded,
            dealerCode: view.dealerCode,
            payload: {
              dealerCode: view.dealerCode,
              violationId: view.id,
              reference: view.reference,
              date: view.date,
              kind: view.kind as string,
              amount: view.amount,
              description: view.description,
            },
          },
        ]);
      }
      await this.audit.record(em, {
        action: `${kind}.recorded`,
        entityType: kind,
        entityId: view.id,
        dealerCode: view.dealerCode,
        details: {
          reference: view.reference,
          date: view.date,
          amount: view.amount,
          amountSource: view.amountSource,
          agreementVersion: view.agreementVersion,
          ...(view.kind ? { kind: view.kind } : {}),
        },
      });
      return { view, created: true };
    });
  }

  async get(kind: PenaltyInputKind, id: string, principal: Principal): Promise<PenaltyView> {
    const spec = SPECS[kind];
    const rows: Row[] = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.db.query(`SELECT ${columns(kind)} FROM ${spec.table} WHERE id = $1`, [id])
      : [];
    if (rows.length === 0) throw notFoundProblem(`${spec.label} ${id} was not found.`);
    assertDealerAccess(principal, rows[0].dealer_code);
    return toView(kind, rows[0]);
  }

  /** Ordered by date, then recording order; filtered by dealer (a dealer sees only its own) and period. */
  async list(kind: PenaltyInputKind, query: ListPenaltyInputsQuery, principal: Principal): Promise<Page<PenaltyView>> {
    const spec = SPECS[kind];
    const limit = query.limit ?? 100;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const dealer = dealerScope(principal, query.dealer);
    if (dealer) add('dealer_code = ?', dealer);
    for (const [field, value] of [
      ['from', query.from],
      ['to', query.to],
    ] as const) {
      if (value !== undefined && !isDateWithinLimits(value))
        throw validationProblem([
          {
            field,
            rule: 'calendarDate',
            message: `${field} must be a real calendar date from 2000-01-01 to 2099-12-31`,
          },
        ]);
    }
    if (query.month) {
      add('date >= ?', firstDayOfMonth(query.month));
      add('date <= ?', lastDayOfMonth(query.month));
    }
    if (query.from) add('date >= ?', query.from);
    if (query.to) add('date <= ?', query.to);
    const after = decodePageCursor(query.cursor);
    if (after !== undefined) {
      const m = /^(\d{4}-\d{2}-\d{2})\|(\d{1,18})$/.exec(after);
      if (!m || !isDateWithinLimits(m[1]))
        throw new ProblemException({ status: 400, type: 'invalid-cursor', detail: 'The cursor is not valid.' });
      params.push(m[1], m[2]);
      where.push(`(date, seq) > ($${params.length - 1}::date, $${params.length}::bigint)`);
    }
    params.push(limit + 1);
    const rows: Row[] = await this.db.query(
      `SELECT ${columns(kind)} FROM ${spec.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY date, seq LIMIT $${params.length}`,
      params,
    );
    const page = toPage(rows, limit, (r) => `${r.date}|${r.seq}`);
    return { items: page.items.map((r) => toView(kind, r)), nextCursor: page.nextCursor };
  }

  private async findByReference(
    em: EntityManager,
    kind: PenaltyInputKind,
    reference: string,
  ): Promise<Row | undefined> {
    const rows: Row[] = await em.query(`SELECT ${columns(kind)} FROM ${SPECS[kind].table} WHERE reference = $1`, [
      reference,
    ]);
    return rows[0];
  }

  /** Same reference and same content → the first answer; other content → 409. */
  private sameOrConflict(kind: PenaltyInputKind, row: Row, hash: string): PenaltyView {
    if (row.content_hash !== hash) {
      throw new ProblemException({
        status: 409,
        type: 'reference-reused',
        code: 'REFERENCE_REUSED',
        detail: `${SPECS[kind].label} reference ${row.reference} was already recorded with other content (id ${row.id}).`,
      });
    }
    return toView(kind, row);
  }

  private async agreementVersions(dealerCode: string): Promise<PenaltyTermsVersion[]> {
    const rows: Array<{ version: number; effective_from: string; terms: PenaltyTermsVersion['terms'] }> =
      await this.db.query(
        `SELECT version, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, terms FROM agreements WHERE dealer_code = $1`,
        [dealerCode],
      );
    return rows.map((r) => ({ version: r.version, effectiveFrom: r.effective_from, terms: r.terms }));
  }
}
