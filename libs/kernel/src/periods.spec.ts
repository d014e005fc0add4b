import {
  addMonths,
  addQuarters,
  daysBetween,
  isCalendarDate,
  isQuarter,
  isYearMonth,
  lastDayOfMonth,
  monthsOfQuarter,
  quarterOfDate,
  quarterOfMonth,
  reportDueAt,
  shanghaiDate,
} from './periods';

describe('periods (Asia/Shanghai)', () => {
  it('validates months, quarters and calendar dates', () => {
    expect(isYearMonth('2026-01')).toBe(true);
    expect(isYearMonth('2026-13')).toBe(false);
    expect(isQuarter('2026-Q4')).toBe(true);
    expect(isQuarter('2026-Q5')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-04-31')).toBe(false);
  });

  it('knows the length of every month, leap years by the Gregorian rule (as Date does)', () => {
    for (let year = 1896; year <= 2404; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        const ym = `${year}-${String(month).padStart(2, '0')}`;
        const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
        expect(lastDayOfMonth(ym)).toBe(`${ym}-${days}`);
        expect(isCalendarDate(`${ym}-${days}`)).toBe(true);
        expect(isCalendarDate(`${ym}-${days + 1}`)).toBe(false);
      }
    }
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
  });

  it('maps months to quarters and back, across the year end', () => {
    expect(quarterOfMonth('2026-03')).toBe('2026-Q1');
    expect(quarterOfDate('2026-10-01')).toBe('2026-Q4');
    expect(monthsOfQuarter('2026-Q2')).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(addQuarters('2026-Q4', 1)).toBe('2027-Q1');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
  });

  it('R-REP-1 report due time is dueDay of the next month at 23:59:59 Shanghai', () => {
    expect(reportDueAt('2026-01', 3).toISOString()).toBe('2026-02-03T15:59:59.000Z');
    expect(reportDueAt('2026-12', 15).toISOString()).toBe('2027-01-15T15:59:59.000Z');
    expect(reportDueAt('2026-01', 31).toISOString()).toBe('2026-02-28T15:59:59.000Z');
  });

  it('reads the Shanghai calendar date of an instant', () => {
    expect(shanghaiDate(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
    expect(shanghaiDate(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
  });

  it('counts whole days between dates', () => {
    expect(daysBetween('2026-01-01', '2026-01-08')).toBe(7);
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
  });
});
