import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { isMonthWithinLimits, isQuarterWithinLimits, monthsOfQuarter } from '@app/kernel';
import {
  AuditLogService,
  dealerNotYetKnownProblem,
  decodePageCursor,
  Page,
  Principal,
  ProblemException,
  toPage,
  validationProblem,
} from '@app/platform';
import {
  FINANCE_INPUTS,
  FinanceInputKind,
  FinanceInputRow,
  FinanceRowError,
  periodKey,
  sameContent,
  validateFinanceRow,
} from './finance-input-rules';

const TABLES: Record<FinanceInputKind, { table: string; dateCol: string; textCol: string; entity: string }> = {
  collection: { table: 'collections', dateCol: 'value_date', textCol: 'note', entity: 'collection' },
  purchase: { table: 'purchases', dateCol: 'invoice_date', textCol: 'note', entity: 'purchase' },
  breach: { table: 'breaches', dateCol: 'quarter', textCol: 'reason', entity: 'breach' },
};

export type FinanceInputView = Record<string, unknown> & { id: string; reference: string; dealerCode: string };

export interface ImportResult {
  created: number;
  unchanged: number;
  items: FinanceInputView[];
}

/** Finance inputs (DOMAIN §6): collections, purchases, breaches; idempotent on the external document reference. */
@Injectable()
export class FinanceInputsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  /** One input: 201 created, 200 when the same reference with the same content exists, 409 when with other content. */
  async recordOne(
    kind: FinanceInputKind,
    raw: unknown,
    principal: Principal,
  ): Promise<{ created: boolean; item: FinanceInputView }> {
    const { row, errors } = validateFinanceRow(kind, raw);
    if (!row) throw validationProblem(errors);
    const result = await this.write(kind, [row], principal, '');
    return { created: result.created === 1, item: result.items[0] };
  }

  /** Bulk: everything validated first; nothing is written when any row is bad; the answer lists every bad row. */
  async importRows(kind: FinanceInputKind, rawRows: unknown[], principal: Principal): Promise<ImportResult> {
    if (rawRows.length === 0)
      throw validationProblem([{ field: 'rows', rule: 'arrayNotEmpty', message: 'send at least one row' }]);
    if (rawRows.length > 10_000)
      throw validationProblem([{ field: 'rows', rule: 'arrayMaxSize', message: 'at most 10,000 rows per import' }]);
    const rows: FinanceInputRow[] = [];
    const errors: FinanceRowError[] = [];
    rawRows.forEach((raw, i) => {
      const v = validateFinanceRow(kind, raw, `rows[${i + 1}].`);
      if (v.row) rows.push(v.row);
      errors.push(...v.errors);
    });
    const codes = [...new Set(rows.map((r) => r.dealerCode))];
    const known = new Set<string>(
      (await this.db.query(`SELECT code FROM known_dealers WHERE code = ANY($1)`, [codes])).map(
        (r: { code: string }) => r.code,
      ),
    );
    const unknown: FinanceRowError[] = [];
    rawRows.forEach((raw, i) => {
      const code = (raw as { dealerCode?: unknown } | null)?.dealerCode;
      if (
        typeof code === 'string' &&
        !known.has(code.trim()) &&
        !errors.some((e) => e.field === `rows[${i + 1}].dealerCode`)
      ) {
        unknown.push({
          field: `rows[${i + 1}].dealerCode`,
          rule: 'knownDealer',
          message: `dealer ${code} is not known to settlement yet`,
        });
      }
    });
    // Rows to correct come first; a dealer not yet known alone is a matter of waiting for its DealerRegistered event.
    if (errors.length) throw validationProblem([...errors, ...unknown].sort((a, b) => rowNo(a.field) - rowNo(b.field)));
    if (unknown.length) throw dealerNotYetKnownProblem(unknown);
    // The same reference twice in one import must carry the same content.
    const seen = new Map<string, { row: FinanceInputRow; index: number }>();
    rows.forEach((row, i) => {
      const prev = seen.get(row.reference);
      if (prev && !sameContent(prev.row, row))
        errors.push({
          field: `rows[${i + 1}].reference`,
          rule: 'referenceConflict',
          message: `reference ${row.reference} appears in row ${prev.index + 1} with other content`,
        });
      if (!prev) seen.set(row.reference, { row, index: i });
    });
    if (errors.length) throw validationProblem(errors);
    return this.write(
      kind,
      [...seen.values()].map((s) => s.row),
      principal,
      'rows',
      [...seen.values()].map((s) => s.index + 1),
    );
  }

  private async write(
    kind: FinanceInputKind,
    rows: FinanceInputRow[],
    principal: Principal,
    fieldPrefix: string,
    rowNumbers?: number[],
  ): Promise<ImportResult> {
    const t = TABLES[kind];
    const name = (i: number, field: string) => (fieldPrefix ? `${fieldPrefix}[${rowNumbers![i]}].${field}` : field);
    return this.db.transaction(async (em) => {
      const known = new Set<string>(
        (
          await em.query(`SELECT code FROM known_dealers WHERE code = ANY($1)`, [
            [...new Set(rows.map((r) => r.dealerCode))],
          ])
        ).map((r: { code: string }) => r.code),
      );
      const unknown: FinanceRowError[] = [];
      rows.forEach((r, i) => {
        if (!known.has(r.dealerCode))
          unknown.push({
            field: name(i, 'dealerCode'),
            rule: 'knownDealer',
            message: `dealer ${r.dealerCode} is not known to settlement yet`,
          });
      });
      if (unknown.length) throw dealerNotYetKnownProblem(unknown);

      const ids = rows.map(() => randomUUID());
      const inserted: Array<{ id: string }> = await em.query(
        `INSERT INTO ${t.table} (id, reference, dealer_code, ${t.dateCol}, ${kind === 'breach' ? '' : 'month, amount, '}${t.textCol}, recorded_by)
         SELECT u.id, u.reference, u.dealer_code, u.period${kind === 'breach' ? '' : '::date, substr(u.period, 1, 7), u.amount::numeric'}, u.text, $7
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, reference, dealer_code, period, amount, text)
         ON CONFLICT (reference) DO NOTHING RETURNING id`,
        [
          ids,
          rows.map((r) => r.reference),
          rows.map((r) => r.dealerCode),
          rows.map((r) => r.period),
          rows.map((r) => r.amount),
          rows.map((r) => r.note),
          principal.sub,
        ],
      );
      const createdIds = new Set(inserted.map((r) => r.id));
      const stored = await this.byReferences(
        kind,
        rows.map((r) => r.reference),
        em,
      );
      const conflicts: FinanceRowError[] = [];
      rows.forEach((r, i) => {
        const s = stored.get(r.reference)!;
        if (!createdIds.has(s.id as string) && !sameContent(toRow(kind, s), r)) {
          conflicts.push({
            field: name(i, 'reference'),
            rule: 'referenceConflict',
            message: `reference ${r.reference} is already recorded with other content`,
          });
        }
      });
      if (conflicts.length) {
        throw new ProblemException({
          status: 409,
          type: 'reference-conflict',
          code: 'REFERENCE_CONFLICT',
          detail: `${conflicts.length} reference(s) already recorded with other content; nothing was written.`,
          errors: conflicts,
        });
      }
      for (const r of rows) {
        const s = stored.get(r.reference)!;
        if (!createdIds.has(s.id as string)) continue;
        await this.audit.record(em, {
          action: `${t.entity}.recorded`,
          entityType: t.entity,
          entityId: s.id as string,
          dealerCode: r.dealerCode,
          details: { reference: r.reference, period: periodKey(kind, r), amount: r.amount },
        });
      }
      return {
        created: createdIds.size,
        unchanged: rows.length - createdIds.size,
        items: rows.map((r) => stored.get(r.reference)!),
      };
    });
  }

  private async byReferences(
    kind: FinanceInputKind,
    references: string[],
    em: EntityManager,
  ): Promise<Map<string, FinanceInputView>> {
    const t = TABLES[kind];
    const rows: any[] = await em.query(`SELECT * FROM ${t.table} WHERE reference = ANY($1)`, [references]);
    return new Map(rows.map((r) => [r.reference as string, toView(kind, r)]));
  }

  /** Paginated by (date or quarter, reference); `period` is a month (YYYY-MM) or a quarter (YYYY-Qn). */
  async list(
    kind: FinanceInputKind,
    filter: { dealer?: string; period?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<FinanceInputView>> {
    const t = TABLES[kind];
    let periods: string[] | null = null;
    if (filter.period) {
      if (kind === 'breach') {
        if (!isQuarterWithinLimits(filter.period))
          throw validationProblem([
            { field: 'period', rule: 'quarter', message: 'period must be YYYY-Qn for breaches' },
          ]);
        periods = [filter.period];
      } else if (isMonthWithinLimits(filter.period)) periods = [filter.period];
      else if (isQuarterWithinLimits(filter.period)) periods = monthsOfQuarter(filter.period);
      else throw validationProblem([{ field: 'period', rule: 'period', message: 'period must be YYYY-MM or YYYY-Qn' }]);
    }
    const after = decodePageCursor(page.cursor);
    const periodCol = kind === 'breach' ? 'quarter' : 'month';
    const sortCol = kind === 'breach' ? 'quarter' : `${t.dateCol}::text`;
    const rows: any[] = await this.db.query(
      `SELECT * FROM ${t.table}
       WHERE ($1::text IS NULL OR dealer_code = $1) AND ($2::text[] IS NULL OR ${periodCol} = ANY($2))
         AND ($3::text IS NULL OR (${sortCol} || '|' || reference) > $3)
       ORDER BY ${sortCol} || '|' || reference LIMIT $4`,
      [filter.dealer ?? null, periods, after ?? null, page.limit + 1],
    );
    const items = rows.map((r) => toView(kind, r));
    return toPage(items, page.limit, (v) => `${v[FINANCE_INPUTS[kind].periodField] as string}|${v.reference}`);
  }
}

function rowNo(field: string): number {
  const m = /^rows\[(\d+)\]/.exec(field);
  return m ? Number(m[1]) : 0;
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

function toRow(kind: FinanceInputKind, v: FinanceInputView): FinanceInputRow {
  return {
    reference: v.reference,
    dealerCode: v.dealerCode,
    period: v[FINANCE_INPUTS[kind].periodField] as string,
    amount: kind === 'breach' ? null : (v.amount as string),
    note: ((kind === 'breach' ? v.reason : v.note) as string | null) ?? null,
  };
}
