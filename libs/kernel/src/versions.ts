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
