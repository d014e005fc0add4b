import { Injectable } from '@nestjs/common';
import { Principal } from '@app/platform';
import { MonthlyReportView } from '../reports/monthly-report.dto';
import { ReportsService } from '../reports/reports.service';
import { PART_KEY, ReportPart, ReportParts } from '../reports/report-rules';
import { SubmitMonthlyReportUseCase } from '../reports/submit-monthly-report.use-case';
import { SubmitWarrantyCardsUseCase } from '../warranty-cards/submit-warranty-cards.use-case';
import { MAX_CARDS_PER_BATCH } from '../warranty-cards/warranty-card.dto';
import { FormTable, readCsv, readWorkbook, ReadResult, uploadKind } from './form-file-reader';
import { FormId, REPORT_FORMS } from './report-forms';
import * as parsers from './row-parsers';
import { FormParse, RowError } from './row-parsers';
import { UploadCardResultView, UploadCardsView, UploadFormView, UploadResultView } from './upload.dto';
import { DuplicateFormProblem, NoFileProblem, NoFormsFoundProblem } from './uploads.problems';

export interface UploadedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
}

const PART_OF_FORM: Partial<Record<FormId, ReportPart>> = {
  sales: 'SALES',
  repairs: 'REPAIRS',
  satisfaction: 'SATISFACTION',
  opinions: 'OPINIONS',
  'quality-feedback': 'QUALITY_FEEDBACK',
  callbacks: 'CALLBACKS',
};

/** The column a card's R-CARD-1 reject code is about, when the rule does not name a field. */
const CARD_CODE_COLUMN: Record<string, string> = {
  DUPLICATE_SERIAL: 'serial',
  NOT_SHIPPED_TO_DEALER: 'serial',
  SOLD_BEFORE_SHIPPED: 'saleDate',
  SALE_DATE_OUT_OF_WINDOW: 'saleDate',
  UNKNOWN_MODEL: 'model',
  UNKNOWN_OUTLET: 'outlet',
};

/** The tables of all files, in order. */
async function readFiles(files: UploadedFile[]): Promise<ReadResult> {
  if (files.length === 0) throw new NoFileProblem();
  const read: ReadResult = { tables: [], ignored: [] };
  for (const f of files) {
    const kind = uploadKind(f.filename, f.mimetype, f.data);
    const r = kind === 'xlsx' ? await readWorkbook(f.filename, f.data) : readCsv(f.filename, f.data);
    read.tables.push(...r.tables);
    read.ignored.push(...r.ignored);
  }
  return read;
}

/** Each form's table; a form given twice, or no form at all, refuses the upload. */
function tablesByForm(tables: FormTable[]): Map<FormId, FormTable> {
  const byForm = new Map<FormId, FormTable>();
  for (const t of tables) {
    const earlier = byForm.get(t.form.id);
    if (earlier) throw new DuplicateFormProblem(`${t.form.sheet} / ${t.form.id}`, earlier.sheet, t.sheet);
    byForm.set(t.form.id, t);
  }
  if (byForm.size === 0) throw new NoFormsFoundProblem(REPORT_FORMS.map((f) => `${f.sheet} / ${f.id}`).join(', '));
  return byForm;
}

/** The rows of each well-formed report form (parts replaced after the repairs they extend). */
function parseForms(byForm: Map<FormId, FormTable>, month: string): Map<FormId, FormParse<unknown>> {
  const parsed = new Map<FormId, FormParse<unknown>>();
  const parse = (id: FormId, fn: (t: FormTable) => FormParse<unknown>) => {
    const t = byForm.get(id);
    if (t && t.errors.length === 0) parsed.set(id, fn(t));
  };
  parse('sales', (t) => parsers.parseSalesRows(t.sheet, t.rows));
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

function partsOf(parsed: Map<FormId, FormParse<unknown>>): ReportParts {
  const parts: ReportParts = {};
  for (const [id, p] of parsed) {
    const part = PART_OF_FORM[id];
    if (part && p.content !== null) (parts as Record<string, unknown>)[part] = p.content;
  }
  return parts;
}

/** What became of each table: rows taken and refused, and the part version it made. */
function formView(
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

/**
 * R-REP-3: the standard forms as one XLSX workbook or CSV files. Each form's good rows become
 * a new version of its part (one transaction for all parts); warranty-card rows go through
 * the R-CARD-1 batch use case; every bad row is answered with sheet, row, column and reason.
 */
@Injectable()
export class UploadMonthlyReportUseCase {
  constructor(
    private readonly submitReport: SubmitMonthlyReportUseCase,
    private readonly submitCards: SubmitWarrantyCardsUseCase,
    private readonly reports: ReportsService,
  ) {}

  async execute(dealerCode: string, month: string, files: UploadedFile[], actor: Principal): Promise<UploadResultView> {
    const read = await readFiles(files);
    const byForm = tablesByForm(read.tables);
    await this.submitReport.assertOpen(dealerCode, month);

    const parsed = parseForms(byForm, month);
    const errors: RowError[] = read.tables.flatMap((t) => t.errors);
    for (const p of parsed.values()) errors.push(...p.errors);
    const parts = partsOf(parsed);
    const hasParts = Object.keys(parts).length > 0;
    const report = hasParts ? await this.submitReport.execute(dealerCode, month, parts, actor, 'UPLOAD') : undefined;
    const cards = await this.cards(dealerCode, month, byForm.get('warranty-cards'), actor, errors);

    const forms = read.tables.map((t) => formView(t, parsed, parts, report, cards));
    errors.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet < b.sheet ? -1 : 1));
    return {
      dealerCode,
      month,
      forms,
      errors,
      ignored: read.ignored,
      warrantyCards: cards,
      report: report ?? (await this.reports.get(dealerCode, month)),
    };
  }

  /** Card rows in batches of the card endpoint's size; each result mapped back to its row. */
  private async cards(
    dealerCode: string,
    month: string,
    table: FormTable | undefined,
    actor: Principal,
    errors: RowError[],
  ): Promise<UploadCardsView | null> {
    if (!table || table.errors.length > 0 || table.rows.length === 0) return null;
    const rows = parsers.warrantyCardRows(table.rows);
    const view: UploadCardsView = { batchIds: [], accepted: 0, rejected: 0, results: [] };
    for (let i = 0; i < rows.length; i += MAX_CARDS_PER_BATCH) {
      const chunk = rows.slice(i, i + MAX_CARDS_PER_BATCH);
      const batch = await this.submitCards.execute(
        dealerCode,
        month,
        chunk.map((r) => r.card),
        actor,
      );
      view.batchIds.push(batch.batchId);
      view.accepted += batch.accepted;
      view.rejected += batch.rejected;
      for (const r of batch.results) {
        const row = chunk[r.index].row;
        const result: UploadCardResultView = {
          sheet: table.sheet,
          row,
          serial: r.serial,
          status: r.status,
          flags: r.flags,
          ...(r.code ? { code: r.code } : {}),
          ...(r.field ? { field: r.field } : {}),
          ...(r.reason ? { reason: r.reason } : {}),
        };
        view.results.push(result);
        if (r.status === 'REJECTED') {
          errors.push({
            sheet: table.sheet,
            row,
            column: r.field ?? (r.code ? (CARD_CODE_COLUMN[r.code] ?? null) : null),
            reason: `${r.code}: ${r.reason ?? ''}`.trim(),
            code: r.code,
          });
        }
      }
    }
    return view;
  }
}
