import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isMonthWithinLimits, isQuarterWithinLimits, monthsOfQuarter } from '@app/kernel';
import {
  AuditLogService,
  dealerNotYetKnownProblem,
  decodePageCursor,
  fieldError,
  Page,
  Principal,
  toPage,
  validationProblem,
} from '@app/platform';
import {
  distinctReferences,
  FINANCE_INPUTS,
  FinanceInputKind,
  FinanceInputRow,
  FinanceRowError,
  periodKey,
  rowNo,
  sameContent,
  unknownDealerErrors,
  validateFinanceRow,
} from './finance-input-rules';
import { ReferenceConflict } from './finance.problems';
import { FinanceInputView, FinanceRepository, toRow } from './finance.repository';

export type { FinanceInputView } from './finance.repository';

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
    private readonly repository: FinanceRepository,
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
    const result = await this.write(kind, [row], principal, (_i, field) => field);
    return { created: result.created === 1, item: result.items[0] };
  }

  /** Bulk: everything validated first; nothing is written when any row is bad; the answer lists every bad row. */
  async importRows(kind: FinanceInputKind, rawRows: unknown[], principal: Principal): Promise<ImportResult> {
    if (rawRows.length === 0)
      throw validationProblem([fieldError('rows', 'arrayNotEmpty', 'validation.fields.atLeastOneRow')]);
    if (rawRows.length > 10_000)
      throw validationProblem([fieldError('rows', 'arrayMaxSize', 'validation.fields.atMostRows')]);
    const rows: FinanceInputRow[] = [];
    const errors: FinanceRowError[] = [];
    rawRows.forEach((raw, i) => {
      const v = validateFinanceRow(kind, raw, `rows[${i + 1}].`);
      if (v.row) rows.push(v.row);
      errors.push(...v.errors);
    });
    const known = await this.repository.knownDealers(rows.map((r) => r.dealerCode));
    const unknown = unknownDealerErrors(rawRows, known, errors);
    // Rows to correct come first; a dealer not yet known alone is a matter of waiting for its DealerRegistered event.
    if (errors.length) throw validationProblem([...errors, ...unknown].sort((a, b) => rowNo(a.field) - rowNo(b.field)));
    if (unknown.length) throw dealerNotYetKnownProblem(unknown);
    const distinct = distinctReferences(rows);
    if (distinct.errors.length) throw validationProblem(distinct.errors);
    const rowNumbers = distinct.unique.map((s) => s.index + 1);
    return this.write(
      kind,
      distinct.unique.map((s) => s.row),
      principal,
      (i, field) => `rows[${rowNumbers[i]}].${field}`,
    );
  }

  /** Writes the rows in one transaction; `name(i, field)` names a row's field in the errors. */
  private write(
    kind: FinanceInputKind,
    rows: FinanceInputRow[],
    principal: Principal,
    name: (i: number, field: string) => string,
  ): Promise<ImportResult> {
    return this.db.transaction(async (em) => {
      const known = await this.repository.knownDealers(
        rows.map((r) => r.dealerCode),
        em,
      );
      const unknown = rows.flatMap((r, i) =>
        known.has(r.dealerCode)
          ? []
          : [
              fieldError(name(i, 'dealerCode'), 'knownDealer', 'validation.fields.dealerNotKnownToSettlement', {
                code: r.dealerCode,
              }),
            ],
      );
      if (unknown.length) throw dealerNotYetKnownProblem(unknown);
      const createdIds = await this.repository.insertNew(em, kind, rows, principal.sub);
      const stored = await this.repository.byReferences(
        kind,
        rows.map((r) => r.reference),
        em,
      );
      const conflicts = rows.flatMap((r, i) => {
        const s = stored.get(r.reference)!;
        return !createdIds.has(s.id) && !sameContent(toRow(kind, s), r)
          ? [
              fieldError(name(i, 'reference'), 'referenceConflict', 'validation.fields.referenceRecorded', {
                reference: r.reference,
              }),
            ]
          : [];
      });
      if (conflicts.length) throw new ReferenceConflict(conflicts);
      await this.auditCreated(em, kind, rows, stored, createdIds);
      return {
        created: createdIds.size,
        unchanged: rows.length - createdIds.size,
        items: rows.map((r) => stored.get(r.reference)!),
      };
    });
  }

  private async auditCreated(
    em: EntityManager,
    kind: FinanceInputKind,
    rows: FinanceInputRow[],
    stored: Map<string, FinanceInputView>,
    createdIds: Set<string>,
  ): Promise<void> {
    for (const r of rows) {
      const s = stored.get(r.reference)!;
      if (!createdIds.has(s.id)) continue;
      await this.audit.record(em, {
        action: `${kind}.recorded`,
        entityType: kind,
        entityId: s.id,
        dealerCode: r.dealerCode,
        details: { reference: r.reference, period: periodKey(kind, r), amount: r.amount },
      });
    }
  }

  /** Paginated by (date or quarter, reference); `period` is a month (YYYY-MM) or a quarter (YYYY-Qn). */
  async list(
    kind: FinanceInputKind,
    filter: { dealer?: string; period?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<FinanceInputView>> {
    const periods = filter.period ? periodsOf(kind, filter.period) : null;
    const items = await this.repository.list(
      kind,
      { dealer: filter.dealer, periods },
      decodePageCursor(page.cursor),
      page.limit,
    );
    return toPage(items, page.limit, (v) => `${v[FINANCE_INPUTS[kind].periodField] as string}|${v.reference}`);
  }
}

/** The months (or, for breaches, the quarter) a list's `period` filter stands for. */
function periodsOf(kind: FinanceInputKind, period: string): string[] {
  if (kind === 'breach') {
    if (!isQuarterWithinLimits(period))
      throw validationProblem([fieldError('period', 'quarter', 'validation.fields.breachPeriod')]);
    return [period];
  }
  if (isMonthWithinLimits(period)) return [period];
  if (isQuarterWithinLimits(period)) return monthsOfQuarter(period);
  throw validationProblem([fieldError('period', 'period', 'validation.fields.period')]);
}
