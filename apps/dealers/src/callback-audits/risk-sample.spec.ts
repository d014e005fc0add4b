import { createHmac } from 'node:crypto';
import { drawSample } from './audit-sample';
import { approxMinusLnU, drawWeightedSample, uniformOf, weightedKey } from './risk-sample';

const population = Array.from({ length: 200 }, (_, i) => `SN${String(i).padStart(6, '0')}`);
/** Every tenth card is risky (score 10), the rest score 1. */
const scores = population.map((_, i) => (i % 10 === 0 ? 10 : 1));
const risky = new Set(population.filter((_, i) => i % 10 === 0));

describe('risk-weighted callback audit sample (R-AUD-1, weighting RISK)', () => {
  it('the same seed over the same scored cards redraws the same sample, whatever their order', () => {
    const first = drawWeightedSample('seed-2026-01', population, scores, '10.00');
    const again = drawWeightedSample('seed-2026-01', [...population].reverse(), [...scores].reverse(), '10.00');
    expect(again.serials).toEqual(first.serials);
    expect(first.serials).toHaveLength(20);
    expect(new Set(first.serials).size).toBe(20);
    expect(first.populationHash).toBe(drawSample('seed-2026-01', population, '10.00').populationHash);
  });

  it('the keys are fixed digits: u from the first 64 bits of the HMAC, key = −ln(u)/w', () => {
    const u = uniformOf('seed', 'SN000001');
    expect(u.gt(0) && u.lt(1)).toBe(true);
    expect(weightedKey('seed', 'SN000001', 2).toString()).toBe(u.ln().neg().div(2).toString());
    // Independently: the first 16 hex digits of HMAC-SHA256('k', 'SN000000') as h, u = 1 − (h + 0.5)/2^64, −ln(u)/3.
    const h = createHmac('sha256', 'k').update('SN000000').digest('hex').slice(0, 16);
    const approx = -Math.log1p(-(Number(BigInt(`0x${h}`)) + 0.5) / 2 ** 64) / 3;
    expect(Math.abs(weightedKey('k', 'SN000000', 3).toNumber() - approx)).toBeLessThan(1e-12);
  });

  it('the fast comparison gives the order of the exact decimal keys', () => {
    const exact = population
      .map((serial, i) => ({ serial, key: weightedKey('exact', serial, scores[i]) }))
      .sort((a, b) => a.key.comparedTo(b.key))
      .map((k) => k.serial);
    expect(drawWeightedSample('exact', population, scores, '100').serials).toEqual(exact);
    for (const serial of population.slice(0, 50)) {
      const approx = approxMinusLnU('exact', serial);
      expect(Math.abs(approx - weightedKey('exact', serial, 1).toNumber()) / approx).toBeLessThan(1e-12);
    }
  });

  it('with equal scores the weighted draw is the uniform draw', () => {
    const equal = population.map(() => 1);
    expect(drawWeightedSample('s', population, equal, '10.00').serials).toEqual(
      drawSample('s', population, '10.00').serials,
    );
    expect(
      drawWeightedSample(
        's',
        population,
        population.map(() => 5),
        '10.00',
      ).serials,
    ).toEqual(drawSample('s', population, '10.00').serials);
  });

  it('differs from the uniform draw under the same seed and another seed gives another sample', () => {
    const weighted = drawWeightedSample('seed-a', population, scores, '10.00').serials;
    expect(weighted).not.toEqual(drawSample('seed-a', population, '10.00').serials);
    expect(drawWeightedSample('seed-b', population, scores, '10.00').serials).not.toEqual(weighted);
  });

  it('favours high-risk cards: over 50 seeds, far more risky cards than the uniform draw', () => {
    let weightedHits = 0;
    let uniformHits = 0;
    for (let i = 0; i < 50; i++) {
      const seed = `seed-${i}`;
      weightedHits += drawWeightedSample(seed, population, scores, '10.00').serials.filter((s) => risky.has(s)).length;
      uniformHits += drawSample(seed, population, '10.00').serials.filter((s) => risky.has(s)).length;
    }
    // 20 risky of 200 cards: uniform expects 2 per sample of 20; weights 10:1 expect about 10.
    expect(uniformHits / 50).toBeLessThan(3);
    expect(weightedHits / 50).toBeGreaterThan(8);
    expect(weightedHits).toBeGreaterThan(3 * uniformHits);
  });

  it('a card of score 1 can still be drawn', () => {
    const drawnLow = new Set<string>();
    for (let i = 0; i < 20; i++)
      for (const s of drawWeightedSample(`s${i}`, population, scores, '10.00').serials)
        if (!risky.has(s)) drawnLow.add(s);
    expect(drawnLow.size).toBeGreaterThan(20);
  });

  it('refuses a score that is not a positive integer', () => {
    expect(() => drawWeightedSample('s', ['A', 'B'], [1, 0], '50')).toThrow(RangeError);
    expect(() => drawWeightedSample('s', ['A', 'B'], [1, 1.5], '50')).toThrow(RangeError);
  });
});
