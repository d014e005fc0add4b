import { createHash, createHmac, randomBytes } from 'node:crypto';
import { dec, isRateString } from '@app/kernel';
import { DomainError, fieldErrorOf, problemText } from '@app/platform';

/** The sample drawn for a callback audit (R-AUD-1), with the snapshot of the population it was drawn from. */
export interface DrawnSample {
  /** Sampled serials in rank order (lowest keyed hash first). */
  serials: string[];
  sampleSize: number;
  populationCount: number;
  /** SHA-256 (hex) of the population's serials, sorted and joined by '\n'. */
  populationHash: string;
}

/** A fresh random seed (256 bits, hex) for a draw that was not given one. */
export function generateSeed(): string {
  return randomBytes(32).toString('hex');
}

/** The population in canonical order: distinct serials sorted by code unit (not locale). */
export function canonicalPopulation(serials: readonly string[]): string[] {
  return [...new Set(serials)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function populationHash(serials: readonly string[]): string {
  return createHash('sha256').update(canonicalPopulation(serials).join('\n'), 'utf8').digest('hex');
}

/** R-AUD-1: sample size = ceil(population × percent / 100), computed exactly. */
export function sampleSize(populationCount: number, percent: string): number {
  assertPercent(percent);
  const size = dec(populationCount).times(percent).div(100).ceil().toNumber();
  return Math.min(size, populationCount);
}

/** Keyed rank of a serial under a seed: HMAC-SHA256(seed, serial), hex. */
export function sampleRank(seed: string, serial: string): string {
  return createHmac('sha256', Buffer.from(seed, 'utf8')).update(serial, 'utf8').digest('hex');
}

/**
 * R-AUD-1: draws a reproducible sample. The population is put in canonical order, each serial
 * ranked by HMAC-SHA256(seed, serial), and the first ceil(n × percent / 100) by rank are taken.
 * Only the seed and the set of serials matter: the same seed over the same cards always gives
 * the same sample, whatever order the cards are read in.
 */
export function drawSample(seed: string, population: readonly string[], percent: string): DrawnSample {
  if (seed.length === 0) throw new DomainError('INVALID_SEED', problemText('invalidSeed'), 400);
  const serials = canonicalPopulation(population);
  const size = sampleSize(serials.length, percent);
  const ranked = serials
    .map((serial) => ({ serial, rank: sampleRank(seed, serial) }))
    .sort((a, b) =>
      a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0,
    );
  return {
    serials: ranked.slice(0, size).map((r) => r.serial),
    sampleSize: size,
    populationCount: serials.length,
    populationHash: populationHash(serials),
  };
}

/** A percentage of at most four places, above 0 and at most 100. */
export function assertPercent(percent: string): void {
  if (!isRateString(percent) || dec(percent).lte(0) || dec(percent).gt(100)) {
    throw new DomainError('INVALID_PERCENT', problemText('invalidPercent', { percent }), 400, {
      errors: [fieldErrorOf('percent', 'R-AUD-1', { key: 'reasons.audits.percent' })],
    });
  }
}

/** True when two samples hold the same serials in the same rank order. */
export function sameSample(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
