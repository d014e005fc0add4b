import { readCsvRows } from '@app/platform';
import type { FieldError } from './price-rules';

export const PRICE_CSV_COLUMNS = ['partNo', 'name', 'listPrice', 'costPrice', 'effectiveFrom'] as const;

/**
 * Reads a price-list CSV (header row with the columns partNo,name,listPrice,costPrice,effectiveFrom in any order;
 * UTF-8, BOM allowed). Rows are numbered from 1 after the header. Returns the raw rows or the file-level errors.
 */
export function readPriceCsv(text: string): { rows: Record<string, unknown>[]; errors: FieldError[] } {
  return readCsvRows(text, {
    unreadable: 'reasons.priceList.csvUnreadable',
    empty: { key: 'reasons.priceList.csvEmpty' },
    checkHeader: (header) => {
      const missing = PRICE_CSV_COLUMNS.filter((c) => !header.includes(c));
      const unknown = header.filter((c) => !(PRICE_CSV_COLUMNS as readonly string[]).includes(c));
      if (!missing.length && !unknown.length) return undefined;
      const list = (key: string, names: readonly string[]) =>
        names.length ? { key, args: { list: names.join(',') } } : '';
      return {
        key: 'reasons.priceList.csvHeader',
        args: {
          columns: PRICE_CSV_COLUMNS.join(','),
          missing: list('reasons.priceList.missingColumns', missing),
          unknown: list('reasons.priceList.unknownColumns', unknown),
        },
      };
    },
  });
}
