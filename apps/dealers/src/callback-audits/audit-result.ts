import type { AuditResult, CallbackAuditRecordedPayload } from '@app/contracts';
import { shanghaiDate } from '@app/kernel';
import { DomainError, problemText } from '@app/platform';

export type CallbackAuditStatus = 'OPEN' | 'CLOSED';

/** One sampled card as stored with its audit. */
export interface SampledCard {
  auditId: string;
  auditStatus: CallbackAuditStatus;
  dealerCode: string;
  reportMonth: string;
  serial: string;
  model: string;
  result: AuditResult | null;
  note: string | null;
}

export interface RecordResultInput {
  result: AuditResult;
  note?: string | null;
  /** Needed only when the serial sits in the samples of two open audits. */
  auditId?: string;
}

export type RecordingDecision =
  | { changed: false; target: SampledCard }
  | { changed: true; target: SampledCard; previous: AuditResult | null; event: CallbackAuditRecordedPayload };

/**
 * R-AUD-1..3 at the dealers side: a result may be recorded only for a card in the sample of an
 * open audit. Results may be corrected (a new event each time) until the audit is closed; the
 * same result and note again changes nothing and publishes nothing. Settlement applies R-AUD-2
 * (INCOMPLETE and FALSIFIED stop counting) and R-AUD-3 (FALSIFIED triggers fakeCardPolicy),
 * and turns findings on approved quarters into prior-period adjustments (R-SET-7): no
 * REPORT_CLOSED refusal here.
 */
export function decideRecording(
  serial: string,
  sampledIn: readonly SampledCard[],
  input: RecordResultInput,
  now: Date,
): RecordingDecision {
  const candidates = input.auditId ? sampledIn.filter((s) => s.auditId === input.auditId) : sampledIn;
  const open = candidates.filter((s) => s.auditStatus === 'OPEN');
  if (open.length === 0) {
    if (candidates.length > 0) {
      throw new DomainError('AUDIT_CLOSED', problemText('auditClosed', { serial }), 409);
    }
    throw new DomainError(
      'CARD_NOT_IN_OPEN_AUDIT',
      input.auditId
        ? problemText('cardNotInOpenAudit.named', { serial, auditId: input.auditId })
        : problemText('cardNotInOpenAudit.any', { serial }),
      422,
    );
  }
  if (open.length > 1) {
    throw new DomainError('AUDIT_AMBIGUOUS', problemText('auditAmbiguous', { serial }), 409, {
      auditIds: open.map((s) => s.auditId),
    });
  }
  const target = open[0];
  const note = input.note ?? null;
  if (target.result === input.result && (target.note ?? null) === note) return { changed: false, target };
  return {
    changed: true,
    target,
    previous: target.result,
    event: {
      dealerCode: target.dealerCode,
      reportMonth: target.reportMonth,
      auditId: target.auditId,
      serial: target.serial,
      model: target.model,
      result: input.result,
      recordedOn: shanghaiDate(now),
    },
  };
}

/** An audit may be closed once every sampled card has a result. */
export function missingResults(sample: readonly Pick<SampledCard, 'serial' | 'result'>[]): string[] {
  return sample.filter((s) => s.result === null).map((s) => s.serial);
}
