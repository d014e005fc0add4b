import { dec } from '@app/kernel';
import type { ExportColumn } from './statement-columns';
import { plainRate } from './statement-format';
import { bilingual } from './statement-labels';

/** Excel reads a CSV as UTF-8 only after this byte order mark; without it Chinese turns into mojibake. */
const BOM = '\uFEFF';

/**
 * A text cell a spreadsheet would run as a formula ("=…", "+…", "-…", "@…") gets a leading apostrophe
 * (OWASP CSV injection); numbers are written as they are, so "-300.00" stays a number.
 */
function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function text(type: ExportColumn<unknown>['type'], value: string | number | null): string {
  if (value === null) return '';
  if (type === 'money') return dec(value).toFixed(2);
  if (type === 'rate') return plainRate(String(value));
  if (type === 'int') return String(value);
  return safeText(String(value));
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV file (UTF-8 with BOM, CRLF line ends, RFC 4180 quoting) with a bilingual header row. */
export function toCsv<T>(columns: ReadonlyArray<ExportColumn<T>>, rows: readonly T[]): Buffer {
  const records = [
    columns.map((c) => field(bilingual(c.label))),
    ...rows.map((row) => columns.map((c) => field(text(c.type, c.value(row))))),
  ];
  return Buffer.from(BOM + records.map((r) => `${r.join(',')}\r\n`).join(''), 'utf8');
}
