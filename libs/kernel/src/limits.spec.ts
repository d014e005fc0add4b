import { isMoneyString } from './money';
import {
  isCountWithinLimits,
  isDateWithinLimits,
  isMonthWithinLimits,
  isQuarterWithinLimits,
  isTimestampWithinLimits,
  MAX_AMOUNT,
  MAX_COUNT,
} from './limits';

describe('limits of the domain (DOMAIN §9)', () => {
  it('months and dates run from 2000-01 to 2099-12', () => {
    expect(isMonthWithinLimits('2000-01')).toBe(true);
    expect(isMonthWithinLimits('2099-12')).toBe(true);
    expect(['0000-01', '1999-12', '2100-01', '2026-13', '2026-1', 2026].some(isMonthWithinLimits)).toBe(false);
    expect(isDateWithinLimits('2000-01-01')).toBe(true);
    expect(isDateWithinLimits('2099-12-31')).toBe(true);
    expect(isDateWithinLimits('2096-02-29')).toBe(true);
    expect(
      ['0000-01-01', '1999-12-31', '2100-01-01', '2026-02-30', '2026-02-29', '2026-1-1'].some(isDateWithinLimits),
    ).toBe(false);
    expect(isQuarterWithinLimits('2000-Q1')).toBe(true);
    expect(isQuarterWithinLimits('2099-Q4')).toBe(true);
    expect(['0000-Q1', '1999-Q4', '2100-Q1', '2026-Q5'].some(isQuarterWithinLimits)).toBe(false);
  });

  it('timestamps are ISO 8601 dates or date-times on real dates within the limits', () => {
    for (const ok of ['2026-02-28', '2026-01-01T00:00:00Z', '2026-01-01T08:00:00.123+08:00', '2026-01-01T08:00'])
      expect(isTimestampWithinLimits(ok)).toBe(true);
    for (const bad of [
      '2026-02-30',
      '2026-02-30T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '2100-01-01',
      '2026-01-01T24:00:00Z',
      '2026-01-01 00:00',
      'yesterday',
      20260101,
    ]) {
      expect(isTimestampWithinLimits(bad)).toBe(false);
    }
  });

  it('an amount of one fact is at most 9,999,999,999.99', () => {
    expect(isMoneyString(MAX_AMOUNT)).toBe(true);
    expect(isMoneyString('-9999999999.99')).toBe(true);
    expect(isMoneyString('10000000000.00')).toBe(false);
    expect(isMoneyString('999999999999.99')).toBe(false);
    expect(isMoneyString(' 12.50')).toBe(false);
  });

  it('a count on one line is an integer of at most 1,000,000', () => {
    expect(isCountWithinLimits(MAX_COUNT)).toBe(true);
    expect(isCountWithinLimits(0)).toBe(true);
    expect(isCountWithinLimits(0, 1)).toBe(false);
    expect([MAX_COUNT + 1, 2 ** 31, -1, 1.5, '5', NaN].some((v) => isCountWithinLimits(v))).toBe(false);
  });
});
