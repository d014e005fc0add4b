import { readCsvRows } from '@app/platform';
import type { FinanceRowError } from './finance-input-rules';

/** Reads a CSV body (header row naming the columns, UTF-8, BOM allowed) into raw row objects; rows numbered from 1 after the header. */
export function readFinanceCsv(
  text: string,
  columns: string[],
): { rows: Record<string, unknown>[]; errors: FinanceRowError[] } {
  return readCsvRows(text, {
    unreadable: 'reasons.csv.bodyUnreadable',
    empty: { key: 'reasons.csv.bodyEmpty' },
    checkHeader: (header) => {
      const unknown = header.filter((h) => !columns.includes(h));
      const args = { unknown: unknown.join(','), columns: columns.join(',') };
      return unknown.length ? { key: 'reasons.csv.unknownColumns', args } : undefined;
    },
    dropEmptyCells: true,
  });
}
