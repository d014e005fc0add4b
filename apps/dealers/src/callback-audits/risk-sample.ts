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
  const keyed = serials.map((serial) => {
    const w = scoreOf.get(serial) as number;
    if (!Number.isInteger(w) || w < 1) throw new RangeError(`risk score of ${serial} must be a positive integer`);
    return { serial, key: weightedKey(seed, serial, w), rank: sampleRank(seed, serial) };
  });
  keyed.sort((a, b) => {
    const byKey = a.key.comparedTo(b.key);
    if (byKey !== 0) return byKey;
    return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0;
  });
  return {
    serials: keyed.slice(0, size).map((k) => k.serial),
    sampleSize: size,
    populationCount: serials.length,
    populationHash: populationHash(serials),
  };
}
