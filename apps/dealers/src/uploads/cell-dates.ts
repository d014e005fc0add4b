import { isDateWithinLimits } from '@app/kernel';

/**
 * Calendar dates as dealers type them into a sheet or CSV (R-REP-3), and as Excel stores them.
 * Pure; no time zone is involved: a date is a day on the calendar, never an instant.
 */

/** Day 0 of Excel's 1900 date system; serial 60 (the 1900-02-29 Excel invents) lies far before 2000. */
const EXCEL_DAY_ZERO = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** 2026-9-3, 2026/9/3, 2026.9.3 (one separator throughout), optionally with a time Excel wrote after it. */
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
/** 2026年9月3日 (or 号, or without the last character). */
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/;

function isoOf(year: string, month: string, day: string): string {
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** A text date in one of the forms above; full-width digits and separators (２０２６／９／３) read as ASCII. */
export function dateFromText(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  const m = SEPARATED.exec(t) ?? CHINESE.exec(t);
  if (!m) return null;
  const iso = m.length === 5 ? isoOf(m[1], m[3], m[4]) : isoOf(m[1], m[2], m[3]);
  return isDateWithinLimits(iso) ? iso : null;
}

/** An Excel date serial (days since 1899-12-30; a fraction is the time of day, dropped). */
export function dateFromExcelSerial(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1) return null;
  const iso = new Date(EXCEL_DAY_ZERO + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
  return isDateWithinLimits(iso) ? iso : null;
}

/**
 * The calendar date of a cell: a date cell (exceljs gives the wall-clock day as UTC), a number
 * (a serial Excel shows as a date only when the cell is formatted so), or text in a common
 * Chinese or ISO-like form. Null when it is none of these or not a real day from 2000 to 2099.
 */
export function calendarDateOf(v: unknown): string | null {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const iso = v.toISOString().slice(0, 10);
    return isDateWithinLimits(iso) ? iso : null;
  }
  if (typeof v === 'number') return dateFromExcelSerial(v);
  if (typeof v === 'string') return dateFromText(v.trim());
  return null;
}
