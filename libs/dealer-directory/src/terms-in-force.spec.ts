import type { AgreementTerms } from '@app/contracts';
import { termsInForce } from './terms-in-force';

const terms = (unitRate: string) => ({ unitRate }) as unknown as AgreementTerms;

describe('termsInForce (R-AGR-1)', () => {
  const versions = [
    { version: 1, effectiveFrom: '2026-01-01', terms: terms('15.00') },
    { version: 2, effectiveFrom: '2026-04-01', terms: terms('16.00') },
  ];

  it('R-AGR-1 a month is governed by the terms in force on its first day', () => {
    expect(termsInForce(versions, '2026-03')?.version).toBe(1);
    expect(termsInForce(versions, '2026-04')?.version).toBe(2);
    expect(termsInForce(versions, '2027-01')?.version).toBe(2);
  });

  it('R-AGR-1 no terms before the first version', () => {
    expect(termsInForce(versions, '2025-12')).toBeUndefined();
  });
});
