import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { FINANCE_INPUTS, FinanceInputKind, FinanceInputRow } from './finance-input-rules';

const TABLES: Record<FinanceInputKind, { table: string; dateCol: string; textCol: string }> = {
  collection: { table: 'collections', dateCol: 'value_date', textCol: 'note' },
  purchase: { table: 'purchases', dateCol: 'invoice_date', textCol: 'note' },
  breach: { table: 'breaches', dateCol: 'quarter', textCol: 'reason' },
};

export type FinanceInputView = Record<string, unknown> & { id: string; reference: string; dealerCode: string };

/** The finance inputs' tables: collections, purchases, breaches (DOMAIN §6), unique on the external reference. */
@Injectable()
export class FinanceRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The dealer codes of `codes` settlement knows (from DealerRegistered). */
  async knownDealers(codes: string[], em: EntityManager = this.db.manager): Promise<Set<string>> {
    const rows: Array<{ code: string }> = await em.query(`SELECT code FROM known_dealers WHERE code = ANY($1)`, [
      [...new Set(codes)],
    ]);
    return new Set(rows.map((r) => r.code));
  }

  /** Inserts the rows whose reference is new; returns the ids of those inserted. */
  async insertNew(
    em: EntityManager,
    kind: FinanceInputKind,
    rows: FinanceInputRow[],
    recordedBy: string,
  ): Promise<Set<string>> {
    const t = TABLES[kind];
    const inserted: Array<{ id: string }> = await em.query(
      `INSERT INTO ${t.table} (id, reference, dealer_code, ${t.dateCol}, ${kind === 'breach' ? '' : 'month, amount, '}${t.textCol}, recorded_by)
       SELECT u.id, u.reference, u.dealer_code, u.period${kind === 'breach' ? '' : '::date, substr(u.period, 1, 7), u.amount::numeric'}, u.text, $7
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, reference, dealer_code, period, amount, text)
       ON CONFLICT (reference) DO NOTHING RETURNING id`,
      [
        rows.map(() => randomUUID()),
        rows.map((r) => r.reference),
        rows.map((r) => r.dealerCode),
        rows.map((r) => r.period),
        rows.map((r) => r.amount),
        rows.map((r) => r.note),
        recordedBy,
      ],
    );
    return new Set(inserted.map((r) => r.id));
  }

  async byReferences(
    kind: FinanceInputKind,
    references: string[],
    em: EntityManager,
  ): Promise<Map<string, FinanceInputView>> {
    const rows: any[] = await em.query(`SELECT * FROM ${TABLES[kind].table} WHERE reference = ANY($1)`, [references]);
    return new Map(rows.map((r) => [r.reference as string, toView(kind, r)]));
  }

  /** Newest first: (date or quarter, reference) descending; `periods` are months, or quarters for breaches. */
  async list(
    kind: FinanceInputKind,
    filter: { dealer?: string; periods: string[] | null },
    after: string | undefined,
    limit: number,
  ): Promise<FinanceInputView[]> {
    const t = TABLES[kind];
    const periodCol = kind === 'breach' ? 'quarter' : 'month';
    const sortCol = kind === 'breach' ? 'quarter' : `${t.dateCol}::text`;
    const rows: any[] = await this.db.query(
      `SELECT * FROM ${t.table}
       WHERE ($1::text IS NULL OR dealer_code = $1) AND ($2::text[] IS NULL OR ${periodCol} = ANY($2))
         AND ($3::text IS NULL OR (${sortCol} || '|' || reference) < $3)
       ORDER BY ${sortCol} || '|' || reference DESC LIMIT $4`,
      [filter.dealer ?? null, filter.periods, after ?? null, limit + 1],
    );
    return rows.map((r) => toView(kind, r));
  }
}

function toView(kind: FinanceInputKind, r: any): FinanceInputView {
  const base = { id: r.id, reference: r.reference, dealerCode: r.dealer_code };
  const meta = { recordedBy: r.recorded_by, receivedAt: (r.received_at as Date).toISOString() };
  if (kind === 'breach') return { ...base, quarter: String(r.quarter).trim(), reason: r.reason, ...meta };
  const date = r[TABLES[kind].dateCol] as Date | string;
  const iso =
    typeof date === 'string'
      ? date
      : `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return { ...base, [FINANCE_INPUTS[kind].periodField]: iso, amount: r.amount, note: r.note ?? null, ...meta };
}

/** The stored input as a row, to compare with a row sent again under its reference. */
export function toRow(kind: FinanceInputKind, v: FinanceInputView): FinanceInputRow {
  return {
    reference: v.reference,
    dealerCode: v.dealerCode,
    period: v[FINANCE_INPUTS[kind].periodField] as string,
    amount: kind === 'breach' ? null : (v.amount as string),
    note: ((kind === 'breach' ? v.reason : v.note) as string | null) ?? null,
  };
}
