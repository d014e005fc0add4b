import type { AgreementTerms } from '@app/contracts';
import { versionInForceOn } from '@app/kernel';

export interface AgreementVersionFacts {
  version: number;
  effectiveFrom: string;
  terms: AgreementTerms;
}

/**
 * R-AGR-1: a month is governed by the terms in force on its first day — the version with
 * the latest effectiveFrom not after that day (the higher version wins on a tie).
 */
export function termsInForce(
  versions: readonly AgreementVersionFacts[],
  month: string,
): AgreementVersionFacts | undefined {
  return versionInForceOn(versions, `${month}-01`);
}
