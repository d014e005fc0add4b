import { parse } from 'csv-parse/sync';
import type { FieldError } from './price-rules';

export const PRICE_CSV_COLUMNS = ['partNo', 'name', 'listPrice', 'costPrice', 'effectiveFrom'] as const;

/**
 * Reads a price-list CSV (header row with the columns partNo,name,listPrice,costPrice,effectiveFrom in any order;
 * UTF-8, BOM allowed). Rows are numbered from 1 after the header. Returns the raw rows or the file-level errors.
 */
export function readPriceCsv(text: string): { rows: Record<string, unknown>[]; errors: FieldError[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (err) {
    return {
      rows: [],
      errors: [{ field: 'file', rule: 'csv', message: `not a readable CSV file: ${(err as Error).message}` }],
    };
  }
  if (records.length === 0)
    return { rows: [], errors: [{ field: 'file', rule: 'csvHeader', message: 'the file is empty' }] };
  const header = records[0];
  const missing = PRICE_CSV_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(PRICE_CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length) {
    return {
      rows: [],
      errors: [
        {
          field: 'file',
          rule: 'csvHeader',
          message: `the header must name ${PRICE_CSV_COLUMNS.join(',')}${missing.length ? `; missing ${missing.join(',')}` : ''}${unknown.length ? `; unknown ${unknown.join(',')}` : ''}`,
        },
      ],
    };
  }
  const errors: FieldError[] = [];
  const rows = records.slice(1).map((cells, i) => {
    if (cells.length !== header.length) {
      errors.push({
        field: `rows[${i + 1}]`,
        rule: 'csvColumns',
        message: `row ${i + 1}: has ${cells.length} cells, the header ${header.length}`,
      });
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
  });
  return { rows, errors };
}
