import { calendarDateOf, dateFromExcelSerial, dateFromText } from './cell-dates';
import { dateCell } from './cells';

describe('R-REP-3 dates in uploaded cells', () => {
  it.each([
    ['2026年9月3日', '2026-09-03'],
    ['2026年09月03日', '2026-09-03'],
    ['2026 年 9 月 3 日', '2026-09-03'],
    ['2026年9月3号', '2026-09-03'],
    ['2026年9月3', '2026-09-03'],
    ['2026/9/3', '2026-09-03'],
    ['2026-9-3', '2026-09-03'],
    ['2026.9.3', '2026-09-03'],
    ['2026-09-03', '2026-09-03'],
    [' 2026/12/31 ', '2026-12-31'],
    ['２０２６／９／３', '2026-09-03'],
    ['２０２６年９月３日', '2026-09-03'],
    ['2026-09-03 00:00:00', '2026-09-03'],
    ['2026/9/3 14:30', '2026-09-03'],
    ['2028年2月29日', '2028-02-29'],
  ])('reads the text %s as %s', (text, iso) => {
    expect(dateFromText(text)).toBe(iso);
    expect(dateCell(text)).toEqual({ ok: true, value: iso });
  });

  it.each([
    '2026年2月30日',
    '2026/2/30',
    '2026-13-01',
    '2026.4.31',
    '2027年2月29日',
    '2026-9/3',
    '2026年9月',
    '3/9/2026',
    '15.01.2026',
    '九月三日',
    '1999-12-31',
    '2100-01-01',
    '20260903',
  ])('refuses %s with the calendarDate rule', (text) => {
    expect(dateFromText(text)).toBeNull();
    expect(dateCell(text)).toMatchObject({ ok: false, rule: 'calendarDate' });
  });

  it('reads Excel date serial numbers (1900 date system), dropping the time of day', () => {
    expect(dateFromExcelSerial(46268)).toBe('2026-09-03');
    expect(dateFromExcelSerial(46268.75)).toBe('2026-09-03');
    expect(dateFromExcelSerial(36526)).toBe('2000-01-01');
    expect(dateFromExcelSerial(73050)).toBe('2099-12-31');
    expect(dateCell(46268)).toEqual({ ok: true, value: '2026-09-03' });
  });

  it('refuses serials outside 2000 … 2099 and numbers that are no serial', () => {
    expect(dateFromExcelSerial(36525)).toBeNull();
    expect(dateFromExcelSerial(73051)).toBeNull();
    expect(dateFromExcelSerial(0)).toBeNull();
    expect(dateFromExcelSerial(-5)).toBeNull();
    expect(dateFromExcelSerial(Number.NaN)).toBeNull();
    expect(dateCell(3)).toMatchObject({ ok: false, rule: 'calendarDate' });
  });

  it('reads date cells as their calendar day, refuses an invalid Date', () => {
    expect(calendarDateOf(new Date(Date.UTC(2026, 8, 3)))).toBe('2026-09-03');
    expect(calendarDateOf(new Date(Date.UTC(2026, 8, 3, 23, 59, 59)))).toBe('2026-09-03');
    expect(calendarDateOf(new Date(Number.NaN))).toBeNull();
    expect(calendarDateOf(new Date(Date.UTC(1999, 11, 31)))).toBeNull();
    expect(calendarDateOf(true)).toBeNull();
    expect(dateCell(null)).toMatchObject({ ok: false, rule: 'required' });
  });
});
