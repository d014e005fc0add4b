import { shanghaiDateTime } from '@app/kernel';
import { toShanghaiTimestamps } from './shanghai-timestamps';

describe('toShanghaiTimestamps', () => {
  it('writes every UTC instant of an answer in Asia/Shanghai with its offset', () => {
    expect(
      toShanghaiTimestamps({
        dueAt: '2026-04-10T15:59:59.000Z',
        computedAt: '2026-12-01T22:22:04Z',
        runs: [{ startedAt: '2026-03-31T16:00:00.123Z', finishedAt: null }],
      }),
    ).toEqual({
      dueAt: '2026-04-10T23:59:59+08:00',
      computedAt: '2026-12-02T06:22:04+08:00',
      runs: [{ startedAt: '2026-04-01T00:00:00+08:00', finishedAt: null }],
    });
  });

  it('leaves dates, months, amounts, text and non-plain objects alone', () => {
    const buffer = Buffer.from('x');
    const input = {
      on: '2026-04-10',
      month: '2026-04',
      amount: '15.00',
      note: 'at 2026-04-10T15:59:59Z',
      n: 3,
      buffer,
    };
    expect(toShanghaiTimestamps(input)).toEqual(input);
    expect((toShanghaiTimestamps(input) as { buffer: Buffer }).buffer).toBe(buffer);
    expect(toShanghaiTimestamps('2026-04-10T15:59:59+08:00')).toBe('2026-04-10T15:59:59+08:00');
  });

  it('names the same instant', () => {
    const instant = new Date('2026-12-31T16:30:00.000Z');
    expect(Date.parse(shanghaiDateTime(instant))).toBe(instant.getTime());
    expect(shanghaiDateTime(instant)).toBe('2027-01-01T00:30:00+08:00');
  });
});
