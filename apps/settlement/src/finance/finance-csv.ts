import { readCsvRows } from '@app/platform';
import type { FinanceRowError } from './finance-input-rules';

/** Reads a CSV body (header row naming the columns, UTF-8, BOM allowed) into raw row objects; rows numbered from 1 after the header. */
export function readFinanceCsv(
  text: string,
  columns: string[],
): { rows: Record<string, unknown>[]; errors: FinanceRowError[] } {
  return readCsvRows(text, {
    unreadable: 'not a readable CSV body',
    empty: 'the CSV body is empty',
    checkHeader: (header) => {
      const unknown = header.filter((h) => !columns.includes(h));
      return unknown.length ? `unknown columns ${unknown.join(',')}; the columns are ${columns.join(',')}` : undefined;
    },
    dropEmptyCells: true,
  });
}
