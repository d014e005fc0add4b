import { Injectable } from '@nestjs/common';
import { messageRefOf, Principal, withMessageRef } from '@app/platform';
import { ReportsService } from '../reports/reports.service';
import { SubmitMonthlyReportUseCase } from '../reports/submit-monthly-report.use-case';
import { SubmitWarrantyCardsUseCase } from '../warranty-cards/submit-warranty-cards.use-case';
import { MAX_CARDS_PER_BATCH } from '../warranty-cards/warranty-card.dto';
import { invalidCardFields, normaliseCard } from '../warranty-cards/card-rules';
import { rowError } from './cells';
import { FormTable, readCsv, readWorkbook, ReadResult, uploadKind } from './form-file-reader';
import * as parsers from './row-parsers';
import { RowError } from './row-parsers';
import { byRow, cardRowsOf, formView, parseForms, partsOf, refuseNothingStored, tablesByForm } from './upload-forms';
import { UploadCardResultView, UploadCardsView, UploadResultView } from './upload.dto';
import { EmptyFileProblem, NoFileProblem } from './uploads.problems';

export interface UploadedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
}

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
    if (f.data.length === 0) throw new EmptyFileProblem(f.filename);
    const kind = uploadKind(f.filename, f.mimetype, f.data);
    const r = kind === 'xlsx' ? await readWorkbook(f.filename, f.data) : readCsv(f.filename, f.data);
    read.tables.push(...r.tables);
    read.ignored.push(...r.ignored);
  }
  return read;
}

/** The errors of a rejected card row: every invalid field for INVALID_FIELD (R-REP-3), else its one R-CARD-1 code. */
function cardRowErrors(
  sheet: string,
  row: number,
  raw: Record<string, unknown>,
  dealerCode: string,
  r: { code?: string; field?: string; reason?: string },
): RowError[] {
  const code = r.code ?? 'REJECTED';
  const why = (reason: { reason?: string }) => ({ code, reason: messageRefOf(reason) ?? reason.reason ?? '' });
  if (code === 'INVALID_FIELD') {
    const fields = invalidCardFields(normaliseCard(raw, dealerCode));
    if (fields.length > 0)
      return fields.map((f) =>
        rowError({ sheet, row, column: f.field, rule: f.rule, code }, 'reasons.upload.card', why(f)),
      );
  }
  const column = r.field ?? CARD_CODE_COLUMN[code] ?? null;
  return [rowError({ sheet, row, column, rule: code, code }, 'reasons.upload.card', why(r))];
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
    if (!hasParts && cardRowsOf(byForm.get('warranty-cards')) === 0) refuseNothingStored(read.tables, errors);
    const report = hasParts ? await this.submitReport.execute(dealerCode, month, parts, actor, 'UPLOAD') : undefined;
    const cards = await this.cards(dealerCode, month, byForm.get('warranty-cards'), actor, errors);

    const forms = read.tables.map((t) => formView(t, parsed, parts, report, cards));
    return {
      dealerCode,
      month,
      forms,
      errors: byRow(errors),
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
        const why = messageRefOf(r);
        view.results.push(why ? withMessageRef(result, why) : result);
        if (r.status === 'REJECTED')
          errors.push(...cardRowErrors(table.sheet, row, chunk[r.index].card, dealerCode, r));
      }
    }
    return view;
  }
}
