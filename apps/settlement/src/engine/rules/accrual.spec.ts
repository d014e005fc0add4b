import type { AgreementTerms } from '@app/contracts';
import { perCardAccrualLines } from './accrual';

const terms = {
  allowanceBasis: 'PER_CARD',
  unitRate: '15.00',
  modelRates: [{ model: 'EB-200', rate: '20.00' }],
} as unknown as AgreementTerms;

describe('PER_CARD accrual (R-SET-3)', () => {
  it('R-SET-3 one line per month and per model rate: worked example January', () => {
    const lines = perCardAccrualLines({
      month: '2026-01',
      terms,
      agreementVersion: 1,
      cards: [
        { model: 'EB-100', count: 60 },
        { model: 'EB-150', count: 40 },
        { model: 'EB-200', count: 20 },
      ],
    });
    expect(lines.map((l) => [l.quantity, l.rate, l.amount])).toEqual([
      [100, '15.0000', '1500.00'],
      [20, '20.0000', '400.00'],
    ]);
    expect(lines.every((l) => l.ruleId === 'R-SET-3' && l.period === '2026-01')).toBe(true);
  });

  it('R-SET-3 rounds the line once, half away from zero', () => {
    const odd = { ...terms, unitRate: '0.125', modelRates: [] } as unknown as AgreementTerms;
    expect(
      perCardAccrualLines({ month: '2026-02', terms: odd, agreementVersion: 1, cards: [{ model: 'X', count: 1 }] })[0]
        .amount,
    ).toBe('0.13');
  });

  it('R-SET-3 no cards, no line', () => {
    expect(perCardAccrualLines({ month: '2026-02', terms, agreementVersion: 1, cards: [] })).toEqual([]);
  });

  it('R-AGR-1 cards of a month without terms in force accrue nothing, and a line says so', () => {
    const [line] = perCardAccrualLines({
      month: '2025-12',
      terms: undefined,
      agreementVersion: undefined,
      cards: [{ model: 'EB-100', count: 3 }],
    });
    expect(line).toMatchObject({ kind: 'ALLOWANCE_NOT_ACCRUED', amount: '0.00', quantity: 3 });
  });
});
