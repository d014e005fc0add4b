import { isFirstDayOfMonth, resolveAgreementTerms } from './agreement-terms';

describe('agreement terms (R-AGR-1)', () => {
  // The seed agreement's terms (DOMAIN §2), one case each, pinned here apart from DEFAULT_AGREEMENT_TERMS.
  it.each<[string, unknown]>([
    ['reportDueDay', 3],
    ['oldPartReturnDays', 30],
    ['warrantyMonths', 12],
    ['doaDays', 7],
    ['qualityDays', 15],
    ['complaintPenalty', '1000.00'],
    ['violationPenalty', '5000.00'],
    ['fakeCardPolicy', 'PENALTY_MULTIPLE'],
    ['fakeCardMultiple', 10],
    ['partsCharging', { warranty: 'ALLOWANCE', stock: 'ALLOWANCE' }],
    ['disputeMonths', 3],
    ['modelRates', []],
    ['percent', null],
  ])('R-AGR-1 applies the seed default %s = %j to a term left out', (term, seedValue) => {
    const { terms, violations } = resolveAgreementTerms({
      allowanceBasis: 'PER_CARD',
      settlementMode: 'FUND_CARRY_OVER',
      unitRate: '15.00',
    });
    expect(violations).toEqual([]);
    expect(terms).toHaveProperty([term], seedValue);
  });

  it('R-AGR-1 requires unitRate for PER_CARD', () => {
    const { violations } = resolveAgreementTerms({
      allowanceBasis: 'PER_CARD',
      settlementMode: 'PAYOUT',
      fakeCardPolicy: 'CANCEL_QUARTER',
    });
    expect(violations.map((v) => v.field)).toEqual(['unitRate']);
  });

  it('R-AGR-1 requires percent for the percent bases', () => {
    const { violations } = resolveAgreementTerms({
      allowanceBasis: 'COLLECTIONS_PERCENT',
      settlementMode: 'PAYOUT',
      fakeCardPolicy: 'CANCEL_QUARTER',
    });
    expect(violations.map((v) => v.field)).toEqual(['percent']);
  });

  it('R-AGR-1 requires unitRate with PENALTY_MULTIPLE under any basis', () => {
    const { violations } = resolveAgreementTerms({
      allowanceBasis: 'PURCHASES_PERCENT',
      settlementMode: 'PAYOUT',
      percent: '1.0000',
    });
    expect(violations).toEqual([expect.objectContaining({ field: 'unitRate', rule: 'R-AGR-1' })]);
  });

  it('R-AGR-1 refuses a model listed twice', () => {
    const { violations } = resolveAgreementTerms({
      allowanceBasis: 'PER_CARD',
      settlementMode: 'PAYOUT',
      unitRate: '15.00',
      modelRates: [
        { model: 'EB-200', rate: '20.00' },
        { model: 'EB-200', rate: '21.00' },
      ],
    });
    expect(violations.map((v) => v.field)).toEqual(['modelRates[1].model']);
  });

  it('R-AGR-1 an agreement cannot start mid-month', () => {
    expect(isFirstDayOfMonth('2026-01-01')).toBe(true);
    expect(isFirstDayOfMonth('2026-01-15')).toBe(false);
  });
});
