import type { CanonicalLine } from '../statements/statement-rules';
import { changedLines, closingDifference, quarterRangeErrors, quartersBetween } from './simulation-rules';

const line = (over: Partial<CanonicalLine>): CanonicalLine => ({
  position: 1,
  ruleId: 'R-SET-3',
  kind: 'ALLOWANCE_ACCRUAL',
  period: '2026-01',
  description: '100 × 15.00',
  quantity: 100,
  rate: '15.0000',
  base: null,
  percent: null,
  amount: '1500.00',
  affectsBalance: true,
  sources: { month: '2026-01' },
  ...over,
});

describe('simulation rules', () => {
  it('quarters from..to, both included', () => {
    expect(quartersBetween('2025-Q4', '2026-Q2')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
  });

  it('a range: from ≤ to, nothing after the current quarter, at most 8 quarters', () => {
    expect(quarterRangeErrors('2026-Q1', '2026-Q4', '2026-Q4')).toEqual([]);
    expect(quarterRangeErrors('2025-Q1', '2026-Q4', '2026-Q4')).toEqual([]);
    expect(quarterRangeErrors('2026-Q1', '2027-Q1', '2026-Q4').map((e) => e.field)).toEqual(['toQuarter']);
    expect(quarterRangeErrors('2026-Q2', '2026-Q1', '2026-Q4').map((e) => e.field)).toEqual(['fromQuarter']);
    expect(quarterRangeErrors('2024-Q4', '2026-Q4', '2026-Q4').map((e) => [e.field, e.rule])).toEqual([
      ['toQuarter', 'maxQuarters'],
    ]);
  });

  it('same lines: nothing changed, even at other positions or with other descriptions', () => {
    const a = [line({}), line({ position: 2, period: '2026-02', sources: { month: '2026-02' } })];
    const s = [
      line({ position: 2, description: 'other words' }),
      line({ position: 1, period: '2026-02', sources: { month: '2026-02' } }),
    ];
    expect(changedLines(a, s)).toEqual([]);
  });

  it('a changed amount, a line only simulated and a line only actual, with their rule ids and differences', () => {
    const a = [
      line({}),
      line({ kind: 'FAKE_CARD_PENALTY', ruleId: 'R-AUD-3', amount: '-150.00', sources: { serial: 'S1' } }),
    ];
    const s = [
      line({ amount: '1800.00', rate: '18.0000' }),
      line({ kind: 'EXCELLENCE_AWARD', ruleId: 'R-AWD-1', amount: '50.00', sources: {} }),
    ];
    expect(changedLines(a, s).map((l) => [l.ruleId, l.actualAmount, l.simulatedAmount, l.difference])).toEqual([
      ['R-SET-3', '1500.00', '1800.00', '300.00'],
      ['R-AWD-1', null, '50.00', '50.00'],
      ['R-AUD-3', '-150.00', null, '150.00'],
    ]);
  });

  it('closing difference: simulated − actual, null without a statement', () => {
    expect(closingDifference('-412.50', '511.50')).toBe('924.00');
    expect(closingDifference(null, '511.50')).toBeNull();
  });
});
