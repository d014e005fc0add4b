import { readCsvRows } from '@app/platform';
import type { FieldError } from './price-rules';

export const PRICE_CSV_COLUMNS = ['partNo', 'name', 'listPrice', 'costPrice', 'effectiveFrom'] as const;

/**
 * Reads a price-list CSV (header row with the columns partNo,name,listPrice,costPrice,effectiveFrom in any order;
 * UTF-8, BOM allowed). Rows are numbered from 1 after the header. Returns the raw rows or the file-level errors.
 */
export function readPriceCsv(text: string): { rows: Record<string, unknown>[]; errors: FieldError[] } {
  return readCsvRows(text, {
    unreadable: 'not a readable CSV file',
    empty: 'the file is empty',
    checkHeader: (header) => {
      const missing = PRICE_CSV_COLUMNS.filter((c) => !header.includes(c));
      const unknown = header.filter((c) => !(PRICE_CSV_COLUMNS as readonly string[]).includes(c));
      if (!missing.length && !unknown.length) return undefined;
      return `the header must name ${PRICE_CSV_COLUMNS.join(',')}${missing.length ? `; missing ${missing.join(',')}` : ''}${unknown.length ? `; unknown ${unknown.join(',')}` : ''}`;
    },
  });
}
