import { createHash } from 'node:crypto';
import type { AgreementTerms } from '@app/contracts';
import { dec, firstDayOfMonth, formatMoney, isMoneyString, monthOfDate, versionInForceOn } from '@app/kernel';
import { DomainError, problemText } from '@app/platform';

export type PenaltyTerm = 'complaintPenalty' | 'violationPenalty';
export type AmountSource = 'GIVEN' | 'TERMS';

/** One stored agreement version, as far as penalties care. */
export interface PenaltyTermsVersion {
  version: number;
  effectiveFrom: string;
  terms: Pick<AgreementTerms, PenaltyTerm>;
}

export interface ResolvedPenaltyAmount {
  amount: string;
  source: AmountSource;
  /** The agreement version in force for the date's month, when there is one. */
  agreementVersion: number | null;
}

/** R-AGR-1: the version in force on the first day of the date's month (latest effectiveFrom not after it). */
export function versionInForce<V extends { effectiveFrom: string; version: number }>(
  versions: readonly V[],
  date: string,
): V | undefined {
  return versionInForceOn(versions, firstDayOfMonth(monthOfDate(date)));
}

/**
 * DOMAIN §6: a complaint or violation carries the amount given, or else the penalty of the
 * terms in force for its date's month (R-AGR-1: the version in force on the month's first day).
 * Without terms for that month an amount must be given.
 */
export function resolvePenaltyAmount(
  term: PenaltyTerm,
  versions: readonly PenaltyTermsVersion[],
  dealerCode: string,
  date: string,
  given?: string,
): ResolvedPenaltyAmount {
  const inForce = versionInForce(versions, date);
  if (given !== undefined) {
    if (!isMoneyString(given) || dec(given).isNegative()) {
      throw new DomainError('INVALID_AMOUNT', problemText('invalidPenaltyAmount', { given }), 400);
    }
    return { amount: formatMoney(given), source: 'GIVEN', agreementVersion: inForce?.version ?? null };
  }
  if (!inForce) {
    throw new DomainError(
      'NO_AGREEMENT_IN_FORCE',
      problemText('noAgreementInForce', { dealerCode, month: monthOfDate(date), term }),
      422,
    );
  }
  return { amount: formatMoney(inForce.terms[term]), source: 'TERMS', agreementVersion: inForce.version };
}

/**
 * What "the same content" means for an input repeated under the same external reference:
 * the fields as the caller sent them (amount normalised, or null when left to the terms).
 */
export function penaltyContentHash(content: {
  dealerCode: string;
  date: string;
  amount?: string;
  description: string;
  kind?: string;
}): string {
  const canonical = JSON.stringify([
    content.dealerCode,
    content.date,
    content.amount === undefined ? null : isMoneyString(content.amount) ? formatMoney(content.amount) : content.amount,
    content.description,
    content.kind ?? null,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
