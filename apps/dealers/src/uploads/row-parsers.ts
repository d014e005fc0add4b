import { MAX_COUNT, monthOfDate } from '@app/kernel';
import type {
  CallbacksContent,
  OpinionLine,
  OpinionsContent,
  QualityFeedbackContent,
  QualityFeedbackLine,
  RepairRecord,
  RepairsContent,
  SalesContent,
  SalesLine,
  SatisfactionContent,
} from '../reports/report-rules';
import { calendarDateOf } from './cell-dates';
import {
  boolCell,
  Cell,
  CellValue,
  cellText,
  codeCell,
  dateCell,
  intCell,
  isBlank,
  moneyCell,
  RowError,
  rowError,
  textCell,
} from './cells';

export { boolCell, dateCell, moneyCell } from './cells';
export type { CellValue, RowError } from './cells';

/**
 * Row parsers of the uploaded forms (R-REP-3): each row is checked on its own; a bad row is
 * reported with its sheet, row number, column and reason and never spoils the good ones.
 * Input is already read from the file (exceljs / csv-parse); these functions do no I/O.
 */

export interface SheetRow {
  /** Row number as the user sees it in the sheet or file (the header is row 1). */
  row: number;
  /** Cells by column key (see report-forms.ts). */
  cells: Record<string, CellValue>;
}

export interface FormParse<T> {
  /** The part built from the good rows, or null when no row was good (the part is then not submitted). */
  content: T | null;
  rows: number;
  accepted: number;
  errors: RowError[];
}

/** Runs the cell checks of one row; returns the values or the row's errors (every bad column named). */
function readRow<T extends object>(
  sheet: string,
  row: SheetRow,
  spec: { [K in keyof T]: (v: CellValue | undefined) => Cell<T[K]> },
): { ok: true; value: T } | { ok: false; errors: RowError[] } {
  const value = {} as T;
  const errors: RowError[] = [];
  for (const key of Object.keys(spec) as Array<keyof T & string>) {
    const r = spec[key](row.cells[key]);
    if (r.ok) value[key] = r.value;
    else errors.push(rowError({ sheet, row: row.row, column: key, rule: r.rule }, r.why.key, r.why.args));
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

/** A count summed over the form's rows went past the domain's limit at this row. */
function overAllRows(sheet: string, row: SheetRow, column: string): RowError {
  return rowError({ sheet, row: row.row, column, rule: 'maxTotal' }, 'reasons.upload.overAllRows', { max: MAX_COUNT });
}

function finish<T>(rows: readonly SheetRow[], accepted: number, errors: RowError[], content: T): FormParse<T> {
  return { content: accepted > 0 ? content : null, rows: rows.length, accepted, errors };
}

/** 每月销售统计表: outlet, model, units, amount. */
export function parseSalesRows(sheet: string, rows: readonly SheetRow[]): FormParse<SalesContent> {
  const lines: SalesLine[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const r = readRow<{ outlet: string; model: string; units: number; amount: string }>(sheet, row, {
      outlet: (v) => codeCell(v, 'outlet'),
      model: (v) => codeCell(v, 'model'),
      units: (v) => intCell(v),
      amount: moneyCell,
    });
    if (r.ok) lines.push(r.value);
    else errors.push(...r.errors);
  }
  return finish(rows, lines.length, errors, { lines });
}

type RepairFields = Omit<RepairRecord, 'parts'>;

/** Reads the optional part columns of a row: both blank, or a part number with a quantity ≥ 1. */
function partOfRow(
  sheet: string,
  row: SheetRow,
): { part: { partNo: string; quantity: number } | null; errors: RowError[] } {
  const noPart = isBlank(row.cells.partNo);
  if (noPart && isBlank(row.cells.quantity)) return { part: null, errors: [] };
  const r = readRow<{ partNo: string; quantity: number }>(sheet, row, {
    partNo: (v) => codeCell(v, 'partNo'),
    quantity: (v) => intCell(v, 1),
  });
  return r.ok ? { part: r.value, errors: [] } : { part: null, errors: r.errors };
}

/** The fields a row repeating a ticket may leave blank or repeat, but not change. */
const REPEATABLE = ['serial', 'model', 'fault', 'repairDate', 'inWarranty', 'consumerSigned'] as const;

/** A row repeating a ticket: the replaced part it adds to the earlier row's repair, or why it cannot. */
function repeatedTicketRow(
  sheet: string,
  row: SheetRow,
  ticket: string,
  earlier: { record: RepairRecord; row: number },
): { part: { partNo: string; quantity: number } | null; errors: RowError[] } {
  const conflicts = REPEATABLE.filter((k) => {
    if (isBlank(row.cells[k])) return false;
    const read =
      k === 'repairDate'
        ? dateCell(row.cells[k])
        : k === 'inWarranty' || k === 'consumerSigned'
          ? boolCell(row.cells[k])
          : textCell(row.cells[k], 500, { upper: k !== 'fault' });
    return !read.ok || read.value !== earlier.record[k];
  });
  const { part, errors: partErrors } = partOfRow(sheet, row);
  const errors: RowError[] = [
    ...conflicts.map((k) =>
      rowError({ sheet, row: row.row, column: k, rule: 'sameTicketSameRepair' }, 'reasons.upload.sameTicket', {
        ticket,
        row: earlier.row,
      }),
    ),
    ...partErrors,
  ];
  if (!part && partErrors.length === 0) {
    const at = { sheet, row: row.row, column: 'partNo', rule: 'repeatedTicketNamesPart' };
    errors.push(rowError(at, 'reasons.upload.repeatedTicketPart', { ticket, row: earlier.row }));
  }
  return { part, errors };
}

/** A row with a new ticket: the repair (with its part, if any), or why it cannot be taken. */
function newRepairRow(
  sheet: string,
  row: SheetRow,
  month: string,
): { record: RepairRecord | null; errors: RowError[] } {
  const r = readRow<RepairFields>(sheet, row, {
    ticket: (v) => textCell(v, 64),
    serial: (v) => codeCell(v, 'serial'),
    model: (v) => codeCell(v, 'model'),
    fault: (v) => textCell(v, 500),
    repairDate: dateCell,
    inWarranty: boolCell,
    consumerSigned: boolCell,
  });
  const rowErrors = r.ok ? [] : r.errors;
  if (r.ok && monthOfDate(r.value.repairDate) !== month) {
    const at = { sheet, row: row.row, column: 'repairDate', rule: 'inReportMonth' };
    rowErrors.push(rowError(at, 'reasons.upload.repairDateMonth', { date: r.value.repairDate, month }));
  }
  const { part, errors: partErrors } = partOfRow(sheet, row);
  rowErrors.push(...partErrors);
  if (rowErrors.length || !r.ok) return { record: null, errors: rowErrors };
  return { record: { ...r.value, parts: part ? [part] : [] }, errors: [] };
}

/**
 * 维修月报表: one row per repair, with at most one replaced part in the part columns; a later
 * row repeating the ticket adds another part (its other cells blank or the same). The repair
 * date must fall within the report month.
 */
export function parseRepairRows(sheet: string, rows: readonly SheetRow[], month: string): FormParse<RepairsContent> {
  const records: RepairRecord[] = [];
  const byTicket = new Map<string, { record: RepairRecord; row: number }>();
  const errors: RowError[] = [];
  let accepted = 0;
  for (const row of rows) {
    const ticket = cellText(row.cells.ticket);
    const earlier = ticket !== null ? byTicket.get(ticket) : undefined;
    if (earlier) {
      const { part, errors: rowErrors } = repeatedTicketRow(sheet, row, ticket as string, earlier);
      if (rowErrors.length) errors.push(...rowErrors);
      else {
        earlier.record.parts.push(part!);
        accepted++;
      }
      continue;
    }
    const { record, errors: rowErrors } = newRepairRow(sheet, row, month);
    if (!record) {
      errors.push(...rowErrors);
      continue;
    }
    records.push(record);
    byTicket.set(record.ticket, { record, row: row.row });
    accepted++;
  }
  return finish(rows, accepted, errors, { records });
}

/** 每月零件更换清单 keyed by ticket: adds parts to the repairs of the same upload. */
export function applyReplacedPartRows(
  sheet: string,
  rows: readonly SheetRow[],
  repairs: RepairsContent | null,
): FormParse<null> {
  const errors: RowError[] = [];
  let accepted = 0;
  const byTicket = new Map((repairs?.records ?? []).map((r) => [r.ticket, r]));
  for (const row of rows) {
    const r = readRow<{ ticket: string; partNo: string; quantity: number }>(sheet, row, {
      ticket: (v) => textCell(v, 64),
      partNo: (v) => codeCell(v, 'partNo'),
      quantity: (v) => intCell(v, 1),
    });
    if (!r.ok) {
      errors.push(...r.errors);
      continue;
    }
    const record = byTicket.get(r.value.ticket);
    if (!record) {
      const at = { sheet, row: row.row, column: 'ticket', rule: 'knownTicket' };
      errors.push(rowError(at, 'reasons.upload.unknownTicket', { ticket: r.value.ticket }));
      continue;
    }
    record.parts.push({ partNo: r.value.partNo, quantity: r.value.quantity });
    accepted++;
  }
  return { content: null, rows: rows.length, accepted, errors };
}

/** 顾客满意度调查统计表: surveyed and satisfied per row (satisfied ≤ surveyed), summed over the rows. */
export function parseSatisfactionRows(sheet: string, rows: readonly SheetRow[]): FormParse<SatisfactionContent> {
  const total = { surveyed: 0, satisfied: 0 };
  const errors: RowError[] = [];
  let accepted = 0;
  for (const row of rows) {
    const r = readRow<{ surveyed: number; satisfied: number }>(sheet, row, {
      surveyed: (v) => intCell(v),
      satisfied: (v) => intCell(v),
    });
    if (!r.ok) {
      errors.push(...r.errors);
      continue;
    }
    if (r.value.satisfied > r.value.surveyed) {
      const at = { sheet, row: row.row, column: 'satisfied', rule: 'satisfiedNotAboveSurveyed' };
      errors.push(rowError(at, 'reasons.upload.satisfiedAboveSurveyed'));
      continue;
    }
    if (total.surveyed + r.value.surveyed > MAX_COUNT) {
      errors.push(overAllRows(sheet, row, 'surveyed'));
      continue;
    }
    total.surveyed += r.value.surveyed;
    total.satisfied += r.value.satisfied;
    accepted++;
  }
  return finish(rows, accepted, errors, total);
}

/** 顾客意见统计表: count per kind; a kind appears once. */
export function parseOpinionRows(sheet: string, rows: readonly SheetRow[]): FormParse<OpinionsContent> {
  const lines: OpinionLine[] = [];
  const seen = new Map<string, number>();
  const errors: RowError[] = [];
  for (const row of rows) {
    const r = readRow<OpinionLine>(sheet, row, { kind: (v) => textCell(v, 64), count: (v) => intCell(v) });
    if (!r.ok) {
      errors.push(...r.errors);
      continue;
    }
    if (seen.has(r.value.kind)) {
      const at = { sheet, row: row.row, column: 'kind', rule: 'uniqueKind' };
      errors.push(rowError(at, 'reasons.upload.kindOnRow', { kind: r.value.kind, row: seen.get(r.value.kind)! }));
      continue;
    }
    seen.set(r.value.kind, row.row);
    lines.push(r.value);
  }
  return finish(rows, lines.length, errors, { lines });
}

/** 质量信息反馈单: model, batch, problem, units affected. */
export function parseQualityFeedbackRows(sheet: string, rows: readonly SheetRow[]): FormParse<QualityFeedbackContent> {
  const lines: QualityFeedbackLine[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    const r = readRow<QualityFeedbackLine>(sheet, row, {
      model: (v) => codeCell(v, 'model'),
      batch: (v) => textCell(v, 64),
      problem: (v) => textCell(v, 1000),
      unitsAffected: (v) => intCell(v),
    });
    if (r.ok) lines.push(r.value);
    else errors.push(...r.errors);
  }
  return finish(rows, lines.length, errors, { lines });
}

/** 回访: callbacks made, summed over the rows. */
export function parseCallbackRows(sheet: string, rows: readonly SheetRow[]): FormParse<CallbacksContent> {
  let callbacksMade = 0;
  let accepted = 0;
  const errors: RowError[] = [];
  for (const row of rows) {
    const r = intCell(row.cells.callbacksMade);
    if (!r.ok) {
      errors.push(rowError({ sheet, row: row.row, column: 'callbacksMade', rule: r.rule }, r.why.key, r.why.args));
      continue;
    }
    if (callbacksMade + r.value > MAX_COUNT) {
      errors.push(overAllRows(sheet, row, 'callbacksMade'));
      continue;
    }
    callbacksMade += r.value;
    accepted++;
  }
  return finish(rows, accepted, errors, { callbacksMade });
}

/**
 * 保修回执卡: each row becomes a raw card for SubmitWarrantyCardsUseCase, which applies the
 * R-CARD-1 rules per card; here only cell types are turned into the API's text fields.
 */
export function warrantyCardRows(rows: readonly SheetRow[]): Array<{ row: number; card: Record<string, unknown> }> {
  return rows.map((row) => {
    const card: Record<string, unknown> = {};
    for (const key of ['serial', 'model', 'saleDate', 'outlet', 'consumerName', 'phone', 'address']) {
      const t = cellText(row.cells[key]);
      if (t !== null) card[key] = t;
    }
    // A date cell, an Excel serial or a Chinese date reaches the card API as YYYY-MM-DD.
    const saleDate = calendarDateOf(row.cells.saleDate);
    if (saleDate !== null) card.saleDate = saleDate;
    return { row: row.row, card };
  });
}
