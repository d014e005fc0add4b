import ExcelJS from 'exceljs';
import { dec, formatMoney, sumMoney } from '@app/kernel';
import { ExportColumn, ExportedStatement, LINE_COLUMNS, linesOf, STATEMENT_COLUMNS } from './statement-columns';
import { bilingual } from './statement-labels';

const NUMBER_FORMATS: Partial<Record<ExportColumn<unknown>['type'], string>> = {
  money: '#,##0.00',
  rate: '0.00##',
  int: '#,##0',
};

/**
 * The one place where a decimal string becomes a JavaScript number: a spreadsheet cell must
 * be numeric to add up in Excel. Values have at most four places, so the cell shows them
 * exactly under its number format; the text of record stays the API's decimal string.
 */
function cell(type: ExportColumn<unknown>['type'], value: string | number | null): string | number | null {
  if (value === null || type === 'text' || type === 'int') return value;
  return dec(value).toNumber();
}

/**
 * A sheet with a bilingual header and a totals row: each money column summed over the rows `counted`
 * (exactly, in decimal), the first cell saying what the row is.
 */
export function addSheet<T>(
  wb: ExcelJS.Workbook,
  name: string,
  columns: ReadonlyArray<ExportColumn<T>>,
  rows: readonly T[],
  totals: { label: string; counted: (row: T) => boolean },
): void {
  const ws = wb.addWorksheet(bilingual(name));
  ws.columns = columns.map((c) => ({ header: bilingual(c.label), key: c.key, width: c.width }));
  for (const row of rows) ws.addRow(Object.fromEntries(columns.map((c) => [c.key, cell(c.type, c.value(row))])));
  const counted = rows.filter(totals.counted);
  const total = ws.addRow(
    Object.fromEntries(
      columns
        .filter((c) => c.type === 'money')
        .map((c) => [c.key, cell('money', formatMoney(sumMoney(counted.map((r) => c.value(r) ?? '0'))))]),
    ),
  );
  total.getCell(1).value = bilingual(totals.label);
  total.font = { bold: true };
  total.border = { top: { style: 'thin' } };
  ws.getRow(1).font = { bold: true };
  for (const c of columns) {
    const format = NUMBER_FORMATS[c.type];
    if (format) ws.getColumn(c.key).numFmt = format;
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

/** R-SET-9 in a workbook: a sheet of statements and one of every line with its rule id, each with a totals row. */
export async function statementsXlsx(statements: readonly ExportedStatement[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'settlement';
  addSheet(wb, 'sheet.statements', STATEMENT_COLUMNS, statements, { label: 'total', counted: () => true });
  addSheet(wb, 'sheet.lines', LINE_COLUMNS, linesOf(statements), {
    label: 'totalInBalance',
    counted: (r) => r.l.affectsBalance,
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
