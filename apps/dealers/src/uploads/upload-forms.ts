import { PART_KEY, ReportPart, ReportParts } from '../reports/report-rules';
import type { MonthlyReportView } from '../reports/monthly-report.dto';
import { FormTable } from './form-file-reader';
import { FormId, REPORT_FORMS } from './report-forms';
import * as parsers from './row-parsers';
import { FormParse, RowError } from './row-parsers';
import { UploadCardsView, UploadFormView } from './upload.dto';
import {
  DuplicateFormProblem,
  MissingColumnsProblem,
  NoDataRowsProblem,
  NoFormsFoundProblem,
  NoValidRowsProblem,
} from './uploads.problems';

/**
 * What an upload's tables become (R-REP-3), before anything is written: each form's parse,
 * the parts to submit, and the refusal of an upload that would store nothing. No I/O.
 */

export const PART_OF_FORM: Partial<Record<FormId, ReportPart>> = {
  sales: 'SALES',
  repairs: 'REPAIRS',
  satisfaction: 'SATISFACTION',
  opinions: 'OPINIONS',
  'quality-feedback': 'QUALITY_FEEDBACK',
  callbacks: 'CALLBACKS',
};

/** Each form's table; a form given twice, or no form at all, refuses the upload. */
export function tablesByForm(tables: FormTable[]): Map<FormId, FormTable> {
  const byForm = new Map<FormId, FormTable>();
  for (const t of tables) {
    const earlier = byForm.get(t.form.id);
    if (earlier) throw new DuplicateFormProblem(`${t.form.sheet} / ${t.form.id}`, earlier.sheet, t.sheet);
    byForm.set(t.form.id, t);
  }
  if (byForm.size === 0) throw new NoFormsFoundProblem(REPORT_FORMS.map((f) => `${f.sheet} / ${f.id}`).join(', '));
  return byForm;
}

/** A header and nothing under it: no data row, and not the template's example row left in place. */
function isHeaderOnly(t: FormTable): boolean {
  return t.header && t.errors.length === 0 && t.rows.length === 0 && t.exampleRows === 0;
}

/**
 * The sales form of a header-only sheet is the month's sales statistics with zero lines, exactly
 * what PUT …/reports/{month}/sales answers to `{ "lines": [] }`: DOMAIN §3 counts a report as
 * submitted once its sales statistics are in, zero lines allowed, so that month is not missed
 * under R-REP-4. Every other header-only sheet submits nothing: satisfaction and callbacks have
 * no value without a row (the JSON API needs their counts), and an untouched repairs, opinions or
 * quality sheet beside filled ones must not replace its part's latest version (R-REP-1) with an
 * empty list. A sheet with only the template's example row is not filled in, sales included, so
 * the unfilled template stores nothing and is refused (NO_DATA_ROWS).
 */
function parseSales(t: FormTable): FormParse<unknown> {
  if (isHeaderOnly(t)) return { content: { lines: [] }, rows: 0, accepted: 0, errors: [] };
  return parsers.parseSalesRows(t.sheet, t.rows);
}

/** The rows of each well-formed report form (parts replaced after the repairs they extend). */
export function parseForms(byForm: Map<FormId, FormTable>, month: string): Map<FormId, FormParse<unknown>> {
  const parsed = new Map<FormId, FormParse<unknown>>();
  const parse = (id: FormId, fn: (t: FormTable) => FormParse<unknown>) => {
    const t = byForm.get(id);
    if (t && t.errors.length === 0) parsed.set(id, fn(t));
  };
  parse('sales', parseSales);
  parse('repairs', (t) => parsers.parseRepairRows(t.sheet, t.rows, month));
  parse('parts-replaced', (t) =>
    parsers.applyReplacedPartRows(t.sheet, t.rows, (parsed.get('repairs')?.content ?? null) as never),
  );
  parse('satisfaction', (t) => parsers.parseSatisfactionRows(t.sheet, t.rows));
  parse('opinions', (t) => parsers.parseOpinionRows(t.sheet, t.rows));
  parse('quality-feedback', (t) => parsers.parseQualityFeedbackRows(t.sheet, t.rows));
  parse('callbacks', (t) => parsers.parseCallbackRows(t.sheet, t.rows));
  return parsed;
}

export function partsOf(parsed: Map<FormId, FormParse<unknown>>): ReportParts {
  const parts: ReportParts = {};
  for (const [id, p] of parsed) {
    const part = PART_OF_FORM[id];
    if (part && p.content !== null) (parts as Record<string, unknown>)[part] = p.content;
  }
  return parts;
}

/** Card rows go to the R-CARD-1 batches (which store even rejected cards); none when the sheet was not read. */
export function cardRowsOf(table: FormTable | undefined): number {
  return table && table.errors.length === 0 ? table.rows.length : 0;
}

export function byRow(errors: RowError[]): RowError[] {
  return errors.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet < b.sheet ? -1 : 1));
}

/**
 * An upload that would store nothing is refused with 422 saying why, before anything is written:
 * required columns missing (named per sheet), else rows all refused (every error listed), else
 * no data rows at all (an unfilled template).
 */
export function refuseNothingStored(tables: readonly FormTable[], errors: RowError[]): never {
  const withoutColumns = tables.filter((t) => t.errors.length > 0);
  if (withoutColumns.length > 0) {
    const missing = withoutColumns.map((t) => {
      const keys = new Set(t.errors.map((e) => e.column));
      const names = t.form.columns.filter((c) => keys.has(c.key)).map((c) => `${c.zh} / ${c.key}`);
      return `${t.sheet}: ${names.join(', ')}`;
    });
    throw new MissingColumnsProblem(missing, byRow(errors));
  }
  if (errors.length > 0) throw new NoValidRowsProblem(byRow(errors));
  throw new NoDataRowsProblem(tables.map((t) => t.sheet));
}

/** What became of each table: rows taken and refused, and the part version it made. */
export function formView(
  t: FormTable,
  parsed: Map<FormId, FormParse<unknown>>,
  parts: ReportParts,
  report: MonthlyReportView | undefined,
  cards: UploadCardsView | null,
): UploadFormView {
  const head = { form: t.form.id, sheet: t.sheet, rows: t.rows.length };
  if (t.form.id === 'warranty-cards') {
    const submitted = (cards?.results.length ?? 0) > 0;
    return { ...head, accepted: cards?.accepted ?? 0, rejected: cards?.rejected ?? 0, submitted };
  }
  const part = PART_OF_FORM[t.form.id];
  const p = parsed.get(t.form.id);
  const version =
    part && parts[part] !== undefined && report
      ? (report.parts as unknown as Record<string, { version: number } | null>)[PART_KEY[part]]?.version
      : undefined;
  return {
    ...head,
    accepted: p?.accepted ?? 0,
    rejected: (p?.rows ?? t.rows.length) - (p?.accepted ?? 0),
    submitted:
      t.form.id === 'parts-replaced' ? parts.REPAIRS !== undefined && (p?.accepted ?? 0) > 0 : version !== undefined,
    ...(version !== undefined ? { version } : {}),
  };
}
