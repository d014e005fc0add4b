import type { AgreementTerms } from '@app/contracts';

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
  const firstDay = `${month}-01`;
  let best: AgreementVersionFacts | undefined;
  for (const v of versions) {
    if (v.effectiveFrom > firstDay) continue;
    if (
      !best ||
      v.effectiveFrom > best.effectiveFrom ||
      (v.effectiveFrom === best.effectiveFrom && v.version > best.version)
    )
      best = v;
  }
  return best;
}
