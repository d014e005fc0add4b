import { DomainError } from '@app/platform';
import { decideRecording, missingResults, SampledCard } from './audit-result';

const base: SampledCard = {
  auditId: '6a4e7a0e-4b8f-4a57-9d6c-1f6a2b7c8d90',
  auditStatus: 'OPEN',
  dealerCode: 'D001',
  reportMonth: '2026-01',
  serial: 'SN000001',
  model: 'EB-100',
  result: null,
  note: null,
};
// 2026-03-31T17:30Z is already 1 April in Shanghai.
const now = new Date('2026-03-31T17:30:00Z');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : 'other';
  }
  return undefined;
}

describe('recording callback audit results (R-AUD-1..3)', () => {
  it('R-AUD-2 a FALSIFIED or INCOMPLETE finding is recorded and published with the card, audit and Shanghai date', () => {
    for (const result of ['FALSIFIED', 'INCOMPLETE', 'VERIFIED'] as const) {
      const d = decideRecording('SN000001', [base], { result }, now);
      expect(d.changed).toBe(true);
      if (!d.changed) return;
      expect(d.event).toEqual({
        dealerCode: 'D001',
        reportMonth: '2026-01',
        auditId: base.auditId,
        serial: 'SN000001',
        model: 'EB-100',
        result,
        recordedOn: '2026-04-01',
      });
      expect(d.previous).toBeNull();
    }
  });

  it('R-AUD-3 correcting a result publishes again and names the previous result', () => {
    const d = decideRecording('SN000001', [{ ...base, result: 'VERIFIED' }], { result: 'FALSIFIED' }, now);
    expect(d).toMatchObject({ changed: true, previous: 'VERIFIED', event: { result: 'FALSIFIED' } });
  });

  it('R-AUD-1 the same result and note again changes nothing and publishes nothing', () => {
    const d = decideRecording(
      'SN000001',
      [{ ...base, result: 'VERIFIED', note: 'ok' }],
      { result: 'VERIFIED', note: 'ok' },
      now,
    );
    expect(d.changed).toBe(false);
  });

  it('R-AUD-1 refuses a card outside any open audit sample, and a closed audit', () => {
    expect(code(() => decideRecording('SN9', [], { result: 'VERIFIED' }, now))).toBe('CARD_NOT_IN_OPEN_AUDIT');
    expect(
      code(() => decideRecording('SN000001', [{ ...base, auditStatus: 'CLOSED' }], { result: 'VERIFIED' }, now)),
    ).toBe('AUDIT_CLOSED');
    expect(
      code(() =>
        decideRecording(
          'SN000001',
          [base],
          { result: 'VERIFIED', auditId: '00000000-0000-4000-8000-000000000000' },
          now,
        ),
      ),
    ).toBe('CARD_NOT_IN_OPEN_AUDIT');
  });

  it('R-AUD-1 a serial in two open samples needs the audit named', () => {
    const other = { ...base, auditId: '11111111-1111-4111-8111-111111111111', reportMonth: '2026-02' };
    expect(code(() => decideRecording('SN000001', [base, other], { result: 'VERIFIED' }, now))).toBe('AUDIT_AMBIGUOUS');
    const d = decideRecording('SN000001', [base, other], { result: 'VERIFIED', auditId: other.auditId }, now);
    expect(d.changed && d.event.reportMonth).toBe('2026-02');
  });

  it('R-AUD-1 an audit closes only when every sampled card has a result', () => {
    expect(
      missingResults([
        { serial: 'A', result: 'VERIFIED' },
        { serial: 'B', result: null },
      ]),
    ).toEqual(['B']);
    expect(missingResults([{ serial: 'A', result: 'INCOMPLETE' }])).toEqual([]);
  });
});
