import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { contractGaps, LintCounts, redoclyLint, spectralLint } from './support/openapi-lint';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(300_000);

/**
 * The contract integrators code against: each service's /docs-json, as served, passes Redocly's
 * `recommended` rules and Spectral's `spectral:oas` with no error and no warning.
 */
describe('the four OpenAPI documents', () => {
  let sys: TestSystem;
  let dir: string;
  const counts: Record<string, { redocly: LintCounts; spectral: LintCounts }> = {};
  const gaps: Record<string, string[]> = {};

  beforeAll(async () => {
    sys = await startSystem();
    dir = process.env.OPENAPI_OUT_DIR ?? (await mkdtemp(join(tmpdir(), 'openapi-')));
    for (const svc of sys.all) {
      const doc = await request(svc.url).get('/docs-json').expect(200);
      const file = join(dir, `${svc.name}.json`);
      await writeFile(file, JSON.stringify(doc.body, null, 2));
      counts[svc.name] = { redocly: await redoclyLint(file), spectral: await spectralLint(file) };
      gaps[svc.name] = contractGaps(doc.body);
    }
    const summary = Object.entries(counts).map(
      ([name, c]) =>
        `${name}: redocly ${c.redocly.errors} errors, ${c.redocly.warnings} warnings; spectral ${c.spectral.errors} errors, ${c.spectral.warnings} warnings`,
    );
    console.log(`OpenAPI lint (documents in ${dir}):\n${summary.join('\n')}`);
  });

  afterAll(async () => {
    await sys?.stop();
    if (dir && !process.env.OPENAPI_OUT_DIR) await rm(dir, { recursive: true, force: true });
  });

  it.each(['dealers', 'requisitions', 'returns', 'settlement'])('%s passes Redocly recommended', (name) => {
    const found = counts[name].redocly;
    expect(found.problems.filter((p) => p.severity !== 'info')).toEqual([]);
    expect([found.errors, found.warnings]).toEqual([0, 0]);
  });

  it.each(['dealers', 'requisitions', 'returns', 'settlement'])('%s passes Spectral spectral:oas', (name) => {
    const found = counts[name].spectral;
    expect(found.problems.filter((p) => p.severity !== 'info')).toEqual([]);
    expect([found.errors, found.warnings]).toEqual([0, 0]);
  });

  it.each(['dealers', 'requisitions', 'returns', 'settlement'])(
    '%s documents every operation, parameter and success answer',
    (name) => {
      expect(gaps[name]).toEqual([]);
    },
  );
});
