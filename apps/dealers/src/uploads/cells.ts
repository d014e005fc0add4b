import { DEALER_CODE_REGEX, MODEL_CODE_REGEX, PART_NO_REGEX, SERIAL_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import { dec, formatMoney, isMoneyString, MAX_COUNT } from '@app/kernel';
import { calendarDateOf } from './cell-dates';

/**
 * Readers of one uploaded cell (R-REP-3): each turns a cell into the value the JSON API takes,
 * or names the rule it breaks (`rule` as in the API's validation problems) and why.
 */

export type CellValue = string | number | boolean | Date | null;

export type Cell<T> = { ok: true; value: T } | { ok: false; rule: string; reason: string };
export const ok = <T>(value: T): Cell<T> => ({ ok: true, value });
const bad = <T>(rule: string, reason: string): Cell<T> => ({ ok: false, rule, reason });
const required = <T>(): Cell<T> => bad('required', 'is required');

export function isBlank(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Text of a cell; dates as YYYY-MM-DD, numbers as written. */
export function cellText(v: CellValue | undefined): string | null {
  if (isBlank(v)) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  return String(v).trim();
}

export function textCell(v: CellValue | undefined, max: number, opts: { upper?: boolean } = {}): Cell<string> {
  const t = cellText(v);
  if (t === null) return required();
  if (t.length > max) return bad('maxLength', `must be at most ${max} characters`);
  // A file can carry what JSON bodies cannot reach this far with; PostgreSQL stores no NUL.
  if (t.includes('\u0000')) return bad('noNulCharacter', 'must not contain the NUL character');
  return ok(opts.upper ? t.toUpperCase() : t);
}

const CODES = {
  outlet: { pattern: DEALER_CODE_REGEX, text: 'a dealer or sub-distributor code' },
  model: { pattern: MODEL_CODE_REGEX, text: IDENTIFIER_TEXT.modelCode },
  partNo: { pattern: PART_NO_REGEX, text: IDENTIFIER_TEXT.partNo },
  serial: { pattern: SERIAL_REGEX, text: IDENTIFIER_TEXT.serial },
} as const;

/** An identifier, upper-cased, of the same pattern the API takes for it. */
export function codeCell(v: CellValue | undefined, kind: keyof typeof CODES): Cell<string> {
  const t = cellText(v);
  if (t === null) return required();
  const code = t.toUpperCase();
  return CODES[kind].pattern.test(code) ? ok(code) : bad('matches', `must be ${CODES[kind].text}`);
}

/** A whole number from `min` to 1,000,000 (DOMAIN §9). */
export function intCell(v: CellValue | undefined, min = 0): Cell<number> {
  if (isBlank(v)) return required();
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) return bad('isInt', 'must be a whole number');
  if (n < min) return bad('min', `must be at least ${min}`);
  if (n > MAX_COUNT) return bad('max', `must be at most ${MAX_COUNT}`);
  return ok(n);
}

/** Non-negative amount with at most two decimal places; thousands separators allowed. Never via floats beyond the cell's own text. */
export function moneyCell(v: CellValue | undefined): Cell<string> {
  if (isBlank(v)) return required();
  const t =
    typeof v === 'number'
      ? String(v)
      : typeof v === 'string'
        ? v
            .trim()
            .replace(/[,，]/g, '')
            .replace(/^[¥￥]/, '')
        : '';
  if (!isMoneyString(t) || t.startsWith('-'))
    return bad('money', 'must be an amount with at most 2 decimal places, e.g. 1999.00');
  return ok(formatMoney(dec(t)));
}

/**
 * A calendar date (see cell-dates.ts): a date cell, an Excel serial, or text such as
 * 2026-09-03, 2026/9/3, 2026.9.3 or 2026年9月3日; an impossible day breaks `calendarDate`.
 */
export function dateCell(v: CellValue | undefined): Cell<string> {
  if (isBlank(v)) return required();
  const d = calendarDateOf(v);
  return d !== null
    ? ok(d)
    : bad('calendarDate', 'must be a calendar date from 2000-01-01 to 2099-12-31, e.g. 2026-09-03 or 2026年9月3日');
}

const TRUE = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '有']);
const FALSE = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '无']);

export function boolCell(v: CellValue | undefined): Cell<boolean> {
  if (isBlank(v)) return required();
  if (typeof v === 'boolean') return ok(v);
  const t = String(v).trim().toLowerCase();
  if (TRUE.has(t)) return ok(true);
  if (FALSE.has(t)) return ok(false);
  return bad('isBoolean', 'must be 是/否 (yes/no)');
}
