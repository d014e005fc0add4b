import { DomainError } from '@app/platform';
import { canonicalPopulation, drawSample, generateSeed, populationHash, sameSample, sampleSize } from './audit-sample';

const population = Array.from({ length: 200 }, (_, i) => `SN${String(i).padStart(6, '0')}`);

describe('callback audit sample (R-AUD-1)', () => {
  it('R-AUD-1 the same seed over the same cards redraws the same sample, whatever order the cards come in', () => {
    const first = drawSample('seed-2026-01', population, '10.00');
    const shuffled = [...population].reverse();
    const again = drawSample('seed-2026-01', shuffled, '10.00');
    expect(again.serials).toEqual(first.serials);
    expect(again.populationHash).toBe(first.populationHash);
  });

  it('R-AUD-1 a different seed gives a different sample', () => {
    const a = drawSample('seed-a', population, '10.00');
    const b = drawSample('seed-b', population, '10.00');
    expect(sameSample(a.serials, b.serials)).toBe(false);
    expect(new Set(a.serials)).not.toEqual(new Set(b.serials));
  });

  it('R-AUD-1 the sample is not simply the first serials in order', () => {
    const s = drawSample('any-seed', population, '10.00');
    expect(s.serials).not.toEqual(population.slice(0, 20));
    expect(s.serials.every((x) => population.includes(x))).toBe(true);
    expect(new Set(s.serials).size).toBe(s.serials.length);
  });

  it('R-AUD-1 sample size is ceil(n × percent / 100), exactly', () => {
    expect(sampleSize(200, '10.00')).toBe(20);
    expect(sampleSize(201, '10.00')).toBe(21); // 20.1 → 21
    expect(sampleSize(7, '10')).toBe(1); // 0.7 → 1
    expect(sampleSize(3, '33.3333')).toBe(1); // 0.999999 → 1
    expect(sampleSize(3, '33.3334')).toBe(2); // 1.000002 → 2
    expect(sampleSize(10, '100')).toBe(10);
    expect(sampleSize(0, '10.00')).toBe(0);
    expect(drawSample('s', population.slice(0, 15), '10.00').serials).toHaveLength(2);
  });

  it('R-AUD-1 refuses a percentage of 0, above 100 or with more than 4 places', () => {
    for (const p of ['0', '0.0000', '100.01', '10.12345', '-5', 'ten']) {
      expect(() => sampleSize(10, p)).toThrow(DomainError);
    }
  });

  it('R-AUD-1 a larger percentage draws a superset of a smaller one under the same seed', () => {
    const small = drawSample('k', population, '5');
    const large = drawSample('k', population, '20');
    expect(large.serials.slice(0, small.serials.length)).toEqual(small.serials);
  });

  it('R-AUD-1 the population snapshot hash depends on the set of serials only', () => {
    expect(populationHash(['B', 'A', 'A'])).toBe(populationHash(['A', 'B']));
    expect(populationHash(['A', 'B'])).not.toBe(populationHash(['A', 'B', 'C']));
    expect(canonicalPopulation(['b', 'B', 'a'])).toEqual(['B', 'a', 'b']);
    expect(drawSample('s', ['X', 'X', 'Y'], '100').populationCount).toBe(2);
  });

  it('R-AUD-1 generated seeds are 256-bit hex and differ', () => {
    const a = generateSeed();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateSeed()).not.toBe(a);
  });
});
