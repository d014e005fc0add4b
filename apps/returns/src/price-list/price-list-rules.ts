/** One version of a part's prices as the returns service learned it (R-PRT-1). */
export interface PartPriceVersion {
  partNo: string;
  name: string;
  listPrice: string;
  costPrice: string;
  effectiveFrom: string;
}

/**
 * R-PRT-1: the price of a part on a date is the version with the latest effectiveFrom not after that
 * date; undefined when the part had no price yet (or is not on the price list at all).
 */
export function priceInForce<T extends { effectiveFrom: string }>(versions: readonly T[], date: string): T | undefined {
  let best: T | undefined;
  for (const v of versions) {
    if (v.effectiveFrom > date) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom) best = v;
  }
  return best;
}
