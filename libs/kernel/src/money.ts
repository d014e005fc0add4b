import Decimal from 'decimal.js';

/**
 * Decimal type for all money and rates. A private clone so that no other
 * library's global Decimal settings can change how we round (R-MNY-1).
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Dec = Decimal;

/** At most 9,999,999,999.99 either way: the largest amount of one fact (DOMAIN §9). */
const MONEY_PATTERN = /^-?\d{1,10}(\.\d{1,2})?$/;
export const RATE_PATTERN = /^\d{1,5}(\.\d{1,4})?$/;

/** True for a decimal string with at most two places within one fact's limit, e.g. "15", "15.5", "-412.50". */
export function isMoneyString(value: unknown): value is string {
  return typeof value === 'string' && MONEY_PATTERN.test(value);
}

/** True for a non-negative rate or percent with at most four places (numeric(9,4)). */
export function isRateString(value: unknown): value is string {
  return typeof value === 'string' && RATE_PATTERN.test(value);
}

export function dec(value: Decimal.Value): Decimal {
  return new Dec(value);
}

/** R-MNY-1: every line is computed exactly and rounded once to 0.01, half away from zero. */
export function roundMoney(value: Decimal.Value): Decimal {
  return new Dec(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Canonical text form of an amount: always two places, "-0.00" normalised to "0.00". */
export function formatMoney(value: Decimal.Value): string {
  const rounded = roundMoney(value);
  return rounded.isZero() ? '0.00' : rounded.toFixed(2);
}

/** Canonical text of a rate or percent: four places, as stored in numeric(9,4). */
export function formatRate(value: Decimal.Value): string {
  return new Dec(value).toFixed(4);
}

export function sumMoney(values: Iterable<Decimal.Value>): Decimal {
  let total = new Dec(0);
  for (const v of values) total = total.plus(v);
  return total;
}
