/**
 * R-AGR-1: of the versions of an agreement, the one in force on `firstDay` (a month's first day) —
 * the latest effectiveFrom not after it, the higher version winning a tie.
 */
export function versionInForceOn<V extends { effectiveFrom: string; version: number }>(
  versions: readonly V[],
  firstDay: string,
): V | undefined {
  let best: V | undefined;
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
