import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { EmptyFileProblem, MalformedCsvProblem, UnsupportedFileProblem } from './uploads.problems';
import { FormDefinition, formForName, isExampleRowMark, isTemplateSheet, mapHeader } from './report-forms';
import { rowError } from './cells';
import { CellValue, RowError, SheetRow } from './row-parsers';

/** One form found in the upload: a worksheet of the workbook or one CSV file. */
export interface FormTable {
  form: FormDefinition;
  /** Sheet name or CSV file name, as the errors name it. */
  sheet: string;
  rows: SheetRow[];
  /** Sheet-level problems (missing columns): the form is then skipped. */
  errors: RowError[];
  /** Whether the table has a header row at all (an empty sheet has none). */
  header: boolean;
  /** 1 when the row under the header is the template's example row (skipped), else 0. */
  exampleRows: number;
}

export interface ReadResult {
  tables: FormTable[];
  /** Sheets or files that are not one of the forms (ignored). */
  ignored: string[];
}

export type UploadKind = 'xlsx' | 'csv';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_MIMES = new Set([
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.ms-excel',
  'application/octet-stream',
]);

/**
 * R-REP-3: only an XLSX workbook (a ZIP container, by its name or media type) or CSV text
 * files are taken; anything else is a 415 problem naming the file.
 */
export function uploadKind(filename: string, mimetype: string, head: Buffer): UploadKind {
  const name = filename.toLowerCase();
  const isZip = head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
  if (name.endsWith('.xlsx') || mimetype === XLSX_MIME) {
    if (!isZip)
      throw new UnsupportedFileProblem(`${filename} is not an XLSX workbook (it is not an Office Open XML file).`);
    return 'xlsx';
  }
  if (name.endsWith('.csv') && CSV_MIMES.has(mimetype.split(';')[0].trim().toLowerCase())) {
    if (isZip || head.subarray(0, 4096).includes(0))
      throw new UnsupportedFileProblem(`${filename} is not a CSV text file.`);
    return 'csv';
  }
  throw new UnsupportedFileProblem(
    `${filename} (${mimetype}) is neither an XLSX workbook (.xlsx) nor a CSV file (.csv).`,
  );
}

/** exceljs cell values (rich text, formulas, hyperlinks, errors) to plain values. */
export function plainCell(v: ExcelJS.CellValue | undefined): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return plainCell((v as { result?: ExcelJS.CellValue }).result);
  if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : plainCell(v.text as ExcelJS.CellValue);
  return null; // error values (#N/A…) read as blank; the row checks then name the column
}

/** A sheet or file without its required columns: each missing one named; the form is not read. */
function missingColumns(form: FormDefinition, sheet: string, first: { row: number; values: CellValue[] }): FormTable {
  const { missing } = mapHeader(form, first.values);
  const errors = missing.map((c) =>
    rowError({ sheet, row: first.row, column: c.key, rule: 'requiredColumn' }, 'reasons.upload.missingColumn', {
      zh: c.zh,
      key: c.key,
    }),
  );
  return { form, sheet, rows: [], errors, header: true, exampleRows: 0 };
}

/**
 * The header is the first of the table's first rows that has every required column (a
 * title row above it is allowed); without one, the sheet is reported and skipped. Blank rows
 * and the template's example row are skipped.
 */
function toTable(form: FormDefinition, sheet: string, rows: Array<{ row: number; values: CellValue[] }>): FormTable {
  if (rows.length === 0) return { form, sheet, rows: [], errors: [], header: false, exampleRows: 0 };
  const headerAt = rows.slice(0, 10).findIndex((r) => mapHeader(form, r.values).missing.length === 0);
  if (headerAt < 0) return missingColumns(form, sheet, rows[0]);
  const { keys } = mapHeader(form, rows[headerAt].values);
  const body = rows.slice(headerAt + 1);
  // Only the row right under the header is the template's example: rows filled by dragging it down carry its mark too.
  const exampleRows = body.length > 0 && body[0].values.some((v, i) => !keys.has(i) && isExampleRowMark(v)) ? 1 : 0;
  const data: SheetRow[] = [];
  for (const r of body.slice(exampleRows)) {
    const cells: Record<string, CellValue> = {};
    let blank = true;
    for (const [i, key] of keys) {
      const v = r.values[i] ?? null;
      cells[key] = v;
      if (v !== null && !(typeof v === 'string' && v.trim() === '')) blank = false;
    }
    if (!blank) data.push({ row: r.row, cells });
  }
  return { form, sheet, rows: data, errors: [], header: true, exampleRows };
}

export async function readWorkbook(filename: string, buffer: Buffer): Promise<ReadResult> {
  const wb = new ExcelJS.Workbook();
  try {
    // Drop-down lists are the template's help, not data; a range like A1:XFD1048576 would expand cell by cell.
    await wb.xlsx.load(buffer as unknown as ArrayBuffer, { ignoreNodes: ['dataValidations'] });
  } catch {
    throw new UnsupportedFileProblem(`${filename} could not be read as an XLSX workbook.`);
  }
  const result: ReadResult = { tables: [], ignored: [] };
  wb.eachSheet((ws) => {
    if (isTemplateSheet(ws.name)) return;
    const form = formForName(ws.name);
    if (!form) {
      result.ignored.push(ws.name);
      return;
    }
    const rows: Array<{ row: number; values: CellValue[] }> = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values: CellValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        values[colNumber - 1] = plainCell(cell.value);
      });
      rows.push({ row: rowNumber, values });
    });
    result.tables.push(toTable(form, ws.name, rows));
  });
  return result;
}

/** A CSV file named after its form (`sales.csv`, `每月销售统计表.csv`), UTF-8 with or without BOM. */
export function readCsv(filename: string, buffer: Buffer): ReadResult {
  const stem = filename.replace(/^.*[\\/]/, '').replace(/\.csv$/i, '');
  const form = formForName(stem);
  if (!form) return { tables: [], ignored: [filename] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new UnsupportedFileProblem(`${filename} is not UTF-8 text; save the CSV as "CSV UTF-8".`);
  }
  if (text.replace(/^\ufeff/, '').trim() === '') throw new EmptyFileProblem(filename);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    });
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new MalformedCsvProblem(filename, line, (err as Error).message);
  }
  const rows = records.map((r) => ({ row: r.info.lines, values: r.record.map((v) => (v === '' ? null : v)) }));
  return { tables: [toTable(form, filename, rows)], ignored: [] };
}
