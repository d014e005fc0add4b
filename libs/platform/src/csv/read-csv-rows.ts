import { parse } from 'csv-parse/sync';
import type { MessageRef } from '../i18n/catalogue';
import { fieldErrorOf } from '../problem/field-error';
import type { ProblemFieldError } from '../problem/problem-types';

export interface CsvRows {
  rows: Record<string, unknown>[];
  errors: ProblemFieldError[];
}

/** The messages are keys of the catalogue, so the answer follows Accept-Language. */
export interface CsvReadOptions {
  /** The message for a text the parser refuses; it takes the parser's (English) error as `{error}`. */
  unreadable: string;
  /** The message for a text with no header row. */
  empty: MessageRef;
  /** Why the header is refused, or undefined when it is accepted. */
  checkHeader: (header: string[]) => MessageRef | undefined;
  /** Leave out the empty cells of each row, so an empty cell reads as a column left out. */
  dropEmptyCells?: boolean;
}

/**
 * Reads a CSV text (a header row naming the columns, UTF-8, BOM allowed) into raw row objects keyed by
 * the header; rows are numbered from 1 after the header. A row with another number of cells than the
 * header is reported and still read.
 */
export function readCsvRows(text: string, options: CsvReadOptions): CsvRows {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (err) {
    return {
      rows: [],
      errors: [fieldErrorOf('file', 'csv', { key: options.unreadable, args: { error: (err as Error).message } })],
    };
  }
  if (records.length === 0) return { rows: [], errors: [fieldErrorOf('file', 'csvHeader', options.empty)] };
  const header = records[0];
  const refused = options.checkHeader(header);
  if (refused !== undefined) return { rows: [], errors: [fieldErrorOf('file', 'csvHeader', refused)] };
  const errors: ProblemFieldError[] = [];
  const rows = records.slice(1).map((cells, i) => {
    if (cells.length !== header.length)
      errors.push(
        fieldErrorOf(`rows[${i + 1}]`, 'csvColumns', {
          key: 'reasons.csv.cells',
          args: { row: i + 1, cells: cells.length, header: header.length },
        }),
      );
    const entries = header.map((h, j) => [h, cells[j] ?? '']);
    return Object.fromEntries(options.dropEmptyCells ? entries.filter(([, v]) => v !== '') : entries);
  });
  return { rows, errors };
}
