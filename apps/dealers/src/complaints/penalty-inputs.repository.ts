import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { firstDayOfMonth, lastDayOfMonth } from '@app/kernel';

export type PenaltyInputKind = 'complaint' | 'violation';

const TABLE: Record<PenaltyInputKind, 'complaints' | 'violations'> = {
  complaint: 'complaints',
  violation: 'violations',
};

export interface PenaltyRow {
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

export interface NewPenaltyInput {
  id: string;
  reference: string;
  dealerCode: string;
  date: string;
  amount: string;
  amountSource: string;
  agreementVersion: number | null;
  description: string;
  contentHash: string;
  recordedBy: string;
  /** Violations only. */
  kind?: string;
}

export interface PenaltyListFilter {
  dealer?: string;
  month?: string;
  from?: string;
  to?: string;
  /** The (date, seq) of the last item of the previous page. */
  after?: { date: string; seq: string };
}

function columns(kind: PenaltyInputKind): string {
  return `id, seq, reference, dealer_code, to_char(date, 'YYYY-MM-DD') AS date, ${kind === 'violation' ? 'kind, ' : ''}amount::text AS amount,
          amount_source, agreement_version, description, content_hash, recorded_by, recorded_at`;
}

/** complaints and violations: one shape, a `kind` column on violations only. */
@Injectable()
export class PenaltyInputsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Stores the input unless its reference is taken; the stored row, or undefined when it was taken. */
  async insertNew(em: EntityManager, kind: PenaltyInputKind, p: NewPenaltyInput): Promise<PenaltyRow | undefined> {
    const violation = kind === 'violation';
    const params: unknown[] = [
      p.id,
      p.reference,
      p.dealerCode,
      p.date,
      p.amount,
      p.amountSource,
      p.agreementVersion,
      p.description,
      p.contentHash,
      p.recordedBy,
      ...(violation ? [p.kind] : []),
    ];
    const inserted: PenaltyRow[] = await em.query(
      `INSERT INTO ${TABLE[kind]} (id, reference, dealer_code, date, amount, amount_source, agreement_version, description, content_hash, recorded_by${violation ? ', kind' : ''})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10${violation ? ', $11' : ''})
       ON CONFLICT (reference) DO NOTHING
       RETURNING ${columns(kind)}`,
      params,
    );
    return inserted[0];
  }

  async findByReference(
    kind: PenaltyInputKind,
    reference: string,
    em: EntityManager = this.db.manager,
  ): Promise<PenaltyRow | undefined> {
    const rows: PenaltyRow[] = await em.query(`SELECT ${columns(kind)} FROM ${TABLE[kind]} WHERE reference = $1`, [
      reference,
    ]);
    return rows[0];
  }

  async findById(kind: PenaltyInputKind, id: string): Promise<PenaltyRow | undefined> {
    const rows: PenaltyRow[] = await this.db.query(`SELECT ${columns(kind)} FROM ${TABLE[kind]} WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Up to `limit + 1` inputs by date, then recording order. */
  page(kind: PenaltyInputKind, f: PenaltyListFilter, limit: number): Promise<PenaltyRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.dealer) add('dealer_code = ?', f.dealer);
    if (f.month) {
      add('date >= ?', firstDayOfMonth(f.month));
      add('date <= ?', lastDayOfMonth(f.month));
    }
    if (f.from) add('date >= ?', f.from);
    if (f.to) add('date <= ?', f.to);
    if (f.after) {
      params.push(f.after.date, f.after.seq);
      where.push(`(date, seq) < ($${params.length - 1}::date, $${params.length}::bigint)`);
    }
    params.push(limit + 1);
    return this.db.query(
      `SELECT ${columns(kind)} FROM ${TABLE[kind]} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY date DESC, seq DESC LIMIT $${params.length}`,
      params,
    );
  }
}
