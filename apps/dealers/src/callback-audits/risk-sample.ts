import { Dec } from '@app/kernel';
import { DomainError, problemText } from '@app/platform';
import { canonicalPopulation, DrawnSample, populationHash, sampleRank, sampleSize } from './audit-sample';

/** How an audit's sample is drawn: uniformly, or with probability proportional to each card's risk score. */
export const AUDIT_WEIGHTINGS = ['UNIFORM', 'RISK'] as const;
export type AuditWeighting = (typeof AUDIT_WEIGHTINGS)[number];

/**
 * Decimal arithmetic of the weighted draw: a private clone, so nothing else can change how it
 * rounds. 30 significant digits are well beyond the 64 bits of the uniform value, so two keys that
 * differ are told apart; equal keys fall back to the rank and then the serial.
 */
const KeyDec = Dec.clone({ precision: 30, rounding: Dec.ROUND_HALF_EVEN });
const TWO_POW_64 = new KeyDec(2).pow(64);

/**
 * The uniform value of a serial under a seed, in (0, 1): the first 64 bits of HMAC-SHA256(seed,
 * serial) as an integer h, u = (2^64 − h − 0.5) / 2^64. Never 0 or 1, so ln(u) is finite and
 * negative; a lower rank gives a larger u, so with equal scores the weighted draw is the uniform one.
 */
export function uniformOf(seed: string, serial: string): Dec {
  const h = BigInt(`0x${sampleRank(seed, serial).slice(0, 16)}`);
  return TWO_POW_64.minus(h.toString()).minus(0.5).div(TWO_POW_64);
}

/**
 * Efraimidis–Spirakis key in log form: −ln(u) / w. Taking the k smallest keys is taking the k
 * largest u^(1/w), which draws k cards without replacement with probability proportional to w.
 * Computed with decimal.js, not Math.log, so every machine gets the same digits.
 */
export function weightedKey(seed: string, serial: string, weight: number): Dec {
  return uniformOf(seed, serial).ln().neg().div(weight);
}

/** Two keys closer than this (relative) are compared exactly; far apart, their floating-point values decide. */
const CLOSE = 1e-9;

/**
 * −ln(u) in floating point, to about 1e-15 relative: log1p for u near 1, log for u near 0, so
 * neither loses digits. Only used where it cannot change the exact order (see drawWeightedSample).
 */
export function approxMinusLnU(seed: string, serial: string): number {
  const h = BigInt(`0x${sampleRank(seed, serial).slice(0, 16)}`);
  const x = (Number(h) + 0.5) / 2 ** 64; // 1 − u
  return x < 0.5 ? -Math.log1p(-x) : -Math.log((Number(2n ** 64n - h) - 0.5) / 2 ** 64);
}

interface Keyed {
  serial: string;
  weight: number;
  rank: string;
  approx: number;
  exact?: Dec;
}

/**
 * The order of the draw: by the exact key −ln(u)/w (decimal.js), then rank, then serial. Computing
 * ln in decimal for every card is slow, so two keys are first compared in floating point; only when
 * they are within 1e-9 of each other (far more than any Math.log error, which is about 1e-16) are
 * the exact keys computed and compared. The result is the exact order on every machine.
 */
function byKey(seed: string): (a: Keyed, b: Keyed) => number {
  const exact = (k: Keyed) => (k.exact ??= weightedKey(seed, k.serial, k.weight));
  return (a, b) => {
    const gap = a.approx - b.approx;
    if (Math.abs(gap) > CLOSE * Math.max(a.approx, b.approx)) return gap < 0 ? -1 : 1;
    const byExact = exact(a).comparedTo(exact(b));
    if (byExact !== 0) return byExact;
    return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0;
  };
}

/**
 * R-AUD-1 with weighting RISK: draws ceil(n × percent / 100) cards with probability proportional to
 * their risk score, reproducibly. `scores` are aligned with `population` (one positive integer per
 * serial); only the seed and the set of (serial, score) pairs matter, not their order.
 */
export function drawWeightedSample(
  seed: string,
  population: readonly string[],
  scores: readonly number[],
  percent: string,
): DrawnSample {
  if (seed.length === 0) throw new DomainError('INVALID_SEED', problemText('invalidSeed'), 400);
  const scoreOf = new Map<string, number>();
  population.forEach((serial, i) => scoreOf.set(serial, scores[i]));
  const serials = canonicalPopulation(population);
  const size = sampleSize(serials.length, percent);
  const keyed: Keyed[] = serials.map((serial) => {
    const weight = scoreOf.get(serial) as number;
    if (!Number.isInteger(weight) || weight < 1)
      throw new RangeError(`risk score of ${serial} must be a positive integer`);
    return { serial, weight, rank: sampleRank(seed, serial), approx: approxMinusLnU(seed, serial) / weight };
  });
  keyed.sort(byKey(seed));
  return {
    serials: keyed.slice(0, size).map((k) => k.serial),
    sampleSize: size,
    populationCount: serials.length,
    populationHash: populationHash(serials),
  };
}
