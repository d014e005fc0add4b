/**
 * Calendar months and quarters in Asia/Shanghai (UTC+8 all year, no daylight saving),
 * as plain strings: months "YYYY-MM", quarters "YYYY-Qn", dates "YYYY-MM-DD".
 */
const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type YearMonth = string;
export type Quarter = string;
export type IsoDate = string;

export function isYearMonth(value: unknown): value is YearMonth {
  return typeof value === 'string' && MONTH_PATTERN.test(value);
}

export function isQuarter(value: unknown): value is Quarter {
  return typeof value === 'string' && QUARTER_PATTERN.test(value);
}

/** A real calendar date in YYYY-MM-DD form (rejects 2026-02-30). */
export function isCalendarDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (arithmetic: called once per card). */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

function parseMonth(month: YearMonth): [number, number] {
  const m = MONTH_PATTERN.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  return [Number(m[1]), Number(m[2])];
}

function formatMonth(year: number, month: number): YearMonth {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function monthOfDate(date: IsoDate): YearMonth {
  return date.slice(0, 7);
}

export function addMonths(month: YearMonth, delta: number): YearMonth {
  const [y, m] = parseMonth(month);
  const index = y * 12 + (m - 1) + delta;
  return formatMonth(Math.floor(index / 12), (index % 12) + 1);
}

export function firstDayOfMonth(month: YearMonth): IsoDate {
  parseMonth(month);
  return `${month}-01`;
}

export function lastDayOfMonth(month: YearMonth): IsoDate {
  const [y, m] = parseMonth(month);
  return `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

export function quarterOfMonth(month: YearMonth): Quarter {
  const [y, m] = parseMonth(month);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

export function quarterOfDate(date: IsoDate): Quarter {
  return quarterOfMonth(monthOfDate(date));
}

export function monthsOfQuarter(quarter: Quarter): YearMonth[] {
  const m = QUARTER_PATTERN.exec(quarter);
  if (!m) throw new RangeError(`not a quarter (YYYY-Qn): ${quarter}`);
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => formatMonth(year, first + i));
}

export function addQuarters(quarter: Quarter, delta: number): Quarter {
  return quarterOfMonth(addMonths(monthsOfQuarter(quarter)[0], delta * 3));
}

export function compareMonths(a: YearMonth, b: YearMonth): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The calendar date in Asia/Shanghai at the given instant. */
export function shanghaiDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of 23:59:59 Asia/Shanghai on the given date. */
export function endOfShanghaiDay(date: IsoDate): Date {
  if (!isCalendarDate(date)) throw new RangeError(`not a date: ${date}`);
  return new Date(Date.parse(`${date}T23:59:59.000Z`) - SHANGHAI_OFFSET_MS);
}

/**
 * The report for month M is due by `dueDay` of month M+1, 23:59:59 Asia/Shanghai.
 * A due day past the month's end means its last day.
 */
export function reportDueAt(month: YearMonth, dueDay: number): Date {
  const next = addMonths(month, 1);
  const [y, m] = parseMonth(next);
  const day = Math.min(dueDay, daysInMonth(y, m));
  return endOfShanghaiDay(`${next}-${String(day).padStart(2, '0')}`);
}

/** Whole days from `from` to `to` (dates), positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * An instant as people read it: ISO 8601 in Asia/Shanghai with its offset, to the second
 * (2026-04-10T15:59:59Z → 2026-04-10T23:59:59+08:00). Storage and events stay in UTC.
 */
export function shanghaiDateTime(instant: Date): string {
  return `${new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
