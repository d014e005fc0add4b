import { isCalendarDate, isQuarter, isYearMonth, IsoDate, Quarter, YearMonth } from './periods';

/**
 * The limits of the domain (DOMAIN §9). Every input is held to them where it is received, so a
 * fact accepted anywhere can be stored and summed everywhere downstream.
 */
export const FIRST_MONTH: YearMonth = '2000-01';
export const LAST_MONTH: YearMonth = '2099-12';
export const FIRST_DATE: IsoDate = '2000-01-01';
export const LAST_DATE: IsoDate = '2099-12-31';
/** Largest amount of one fact (a collection, a price, a line, a charge). */
export const MAX_AMOUNT = '9999999999.99';
/** Largest integer count on one line (units, quantities, counts). */
export const MAX_COUNT = 1_000_000;

/** A month YYYY-MM from 2000-01 to 2099-12. */
export function isMonthWithinLimits(value: unknown): value is YearMonth {
  return isYearMonth(value) && value >= FIRST_MONTH && value <= LAST_MONTH;
}

/** A real calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31. */
export function isDateWithinLimits(value: unknown): value is IsoDate {
  return isCalendarDate(value) && value >= FIRST_DATE && value <= LAST_DATE;
}

/** A quarter YYYY-Qn from 2000-Q1 to 2099-Q4. */
export function isQuarterWithinLimits(value: unknown): value is Quarter {
  return isQuarter(value) && value >= '2000-Q1' && value <= '2099-Q4';
}

/** An integer from `min` to MAX_COUNT. */
export function isCountWithinLimits(value: unknown, min = 0): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_COUNT;
}

const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?$/;

/** An ISO 8601 date or date-time whose date is real and within the limits (2026-02-30 is refused). */
export function isTimestampWithinLimits(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = TIMESTAMP.exec(value);
  return m !== null && isDateWithinLimits(m[1]) && Number.isFinite(Date.parse(value));
}
