import { parse } from 'csv-parse/sync';
import type { FinanceRowError } from './finance-input-rules';

/** Reads a CSV body (header row naming the columns, UTF-8, BOM allowed) into raw row objects; rows numbered from 1 after the header. */
export function readFinanceCsv(
  text: string,
  columns: string[],
): { rows: Record<string, unknown>[]; errors: FinanceRowError[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (err) {
    return {
      rows: [],
      errors: [{ field: 'file', rule: 'csv', message: `not a readable CSV body: ${(err as Error).message}` }],
    };
  }
  if (records.length === 0)
    return { rows: [], errors: [{ field: 'file', rule: 'csvHeader', message: 'the CSV body is empty' }] };
  const header = records[0];
  const unknown = header.filter((h) => !columns.includes(h));
  if (unknown.length)
    return {
      rows: [],
      errors: [
        {
          field: 'file',
          rule: 'csvHeader',
          message: `unknown columns ${unknown.join(',')}; the columns are ${columns.join(',')}`,
        },
      ],
    };
  const errors: FinanceRowError[] = [];
  const rows = records.slice(1).map((cells, i) => {
    if (cells.length !== header.length)
      errors.push({
        field: `rows[${i + 1}]`,
        rule: 'csvColumns',
        message: `row ${i + 1}: has ${cells.length} cells, the header ${header.length}`,
      });
    return Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']).filter(([, v]) => v !== ''));
  });
  return { rows, errors };
}
