import { DomainError } from '@app/platform';
import { penaltyContentHash, PenaltyTermsVersion, resolvePenaltyAmount, versionInForce } from './penalty-amount';

const versions: PenaltyTermsVersion[] = [
  { version: 1, effectiveFrom: '2026-01-01', terms: { complaintPenalty: '1000.00', violationPenalty: '5000.00' } },
  { version: 2, effectiveFrom: '2026-04-01', terms: { complaintPenalty: '1200.00', violationPenalty: '6000' } },
];

describe('complaint and violation amounts (DOMAIN §6, R-AGR-1)', () => {
  it('R-AGR-1 §6 a complaint without amount takes complaintPenalty of the terms in force for its month', () => {
    expect(resolvePenaltyAmount('complaintPenalty', versions, 'D001', '2026-03-31')).toEqual({
      amount: '1000.00',
      source: 'TERMS',
      agreementVersion: 1,
    });
    expect(resolvePenaltyAmount('complaintPenalty', versions, 'D001', '2026-04-01')).toEqual({
      amount: '1200.00',
      source: 'TERMS',
      agreementVersion: 2,
    });
  });

  it('R-AGR-1 §6 a violation without amount takes violationPenalty, formatted to two places', () => {
    expect(resolvePenaltyAmount('violationPenalty', versions, 'D001', '2026-02-10').amount).toBe('5000.00');
    expect(resolvePenaltyAmount('violationPenalty', versions, 'D001', '2026-05-20').amount).toBe('6000.00');
  });

  it('R-AGR-1 the month is governed by the version in force on its first day, whatever the order stored', () => {
    expect(versionInForce([...versions].reverse(), '2026-04-30')?.version).toBe(2);
    expect(versionInForce(versions, '2025-12-31')).toBeUndefined();
  });

  it('§6 a given amount wins over the terms and is normalised', () => {
    expect(resolvePenaltyAmount('complaintPenalty', versions, 'D001', '2026-02-01', '800.5')).toEqual({
      amount: '800.50',
      source: 'GIVEN',
      agreementVersion: 1,
    });
  });

  it('§6 without an agreement in force the amount must be given', () => {
    let err: unknown;
    try {
      resolvePenaltyAmount('complaintPenalty', versions, 'D001', '2025-12-15');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('NO_AGREEMENT_IN_FORCE');
    expect(resolvePenaltyAmount('complaintPenalty', [], 'D001', '2025-12-15', '300.00')).toEqual({
      amount: '300.00',
      source: 'GIVEN',
      agreementVersion: null,
    });
  });

  it('§6 refuses a negative or over-precise amount', () => {
    expect(() => resolvePenaltyAmount('complaintPenalty', versions, 'D001', '2026-02-01', '-1.00')).toThrow(
      DomainError,
    );
    expect(() => resolvePenaltyAmount('complaintPenalty', versions, 'D001', '2026-02-01', '1.005')).toThrow(
      DomainError,
    );
  });

  it('§6 idempotency on the reference compares the content as sent', () => {
    const a = { dealerCode: 'D001', date: '2026-02-01', description: 'rude technician' };
    expect(penaltyContentHash(a)).toBe(penaltyContentHash({ ...a }));
    expect(penaltyContentHash({ ...a, amount: '10' })).toBe(penaltyContentHash({ ...a, amount: '10.00' }));
    expect(penaltyContentHash({ ...a, amount: '10.00' })).not.toBe(penaltyContentHash(a));
    expect(penaltyContentHash({ ...a, description: 'other' })).not.toBe(penaltyContentHash(a));
    expect(penaltyContentHash({ ...a, kind: 'UNLICENSED_TECHNICIAN' })).not.toBe(penaltyContentHash(a));
  });
});
