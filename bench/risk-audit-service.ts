/**
 * The service leg of bench:risk (see risk-audit.bench.ts): a few generated dealers' months submitted
 * over HTTP, each audited with weighting RISK through POST /v1/audits; the sample must be the one the
 * in-memory draw gives over the same cards, and the fakes found are counted beside a uniform draw
 * of the same seed and size.
 */
import request from 'supertest';
import { startServiceUnderTest, testToken } from '@app/testing';
import { DealersAppModule } from '../apps/dealers/src/dealers-app.module';
import { drawSample } from '../apps/dealers/src/callback-audits/audit-sample';
import { drawWeightedSample } from '../apps/dealers/src/callback-audits/risk-sample';
import { scoreCards } from '../apps/dealers/src/callback-audits/risk-signals';
import type { GenDealer, generate as Generate, riskFactsOf as RiskFactsOf } from './risk-audit.bench';

const SERVICE_DEALERS = Number(process.env.BENCH_SERVICE_DEALERS ?? 12);
const PERCENT = process.env.BENCH_PERCENT ?? '10';
const MONTH = '2026-01';
const secs = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
const auth = (role: 'finance' | 'admin' | 'after-sales' | 'dealer', dealer?: string) => ({
  Authorization: `Bearer ${testToken(role, dealer)}`,
});

async function submit(url: string, dealers: GenDealer[]): Promise<void> {
  for (const model of ['EB-100', 'EB-200', 'EB-300', 'EB-500'])
    await request(url).put(`/v1/product-models/${model}`).set(auth('admin')).send({ name: model });
  for (const d of dealers) {
    await request(url)
      .post('/v1/dealers')
      .set(auth('finance'))
      .send({ code: d.code, name: `Dealer ${d.code}` })
      .expect(201);
    const cards = d.cards.map((c) => ({
      ...{ serial: c.serial, model: c.model, saleDate: c.saleDate, outlet: d.code },
      ...{ consumerName: '顾客', phone: c.phone, address: c.address },
    }));
    const batch = await request(url)
      .post(`/v1/dealers/${d.code}/reports/${MONTH}/warranty-cards`)
      .set(auth('dealer', d.code))
      .send({ cards });
    if (batch.status !== 201 || batch.body.accepted !== cards.length)
      throw new Error(`${d.code}: ${batch.status} ${JSON.stringify(batch.body).slice(0, 400)}`);
    await request(url)
      .put(`/v1/dealers/${d.code}/reports/${MONTH}/sales`)
      .set(auth('dealer', d.code))
      .send({ lines: d.sales.filter((l) => l.units > 0).map((l) => ({ ...l, amount: `${l.units * 2000}.00` })) })
      .expect(200);
  }
}

export async function throughService(
  generate: typeof Generate,
  riskFactsOf: typeof RiskFactsOf,
  log: (msg: string) => void,
): Promise<void> {
  const started = Date.now();
  // No earlier audits in a fresh database: the simulated dealers have none either.
  const dealers = generate(SERVICE_DEALERS, 7).map((d) => ({ ...d, earlierAudited: 0, earlierFalsified: 0 }));
  const facts = riskFactsOf(dealers);
  const stack = await startServiceUnderTest('dealers', (c) => DealersAppModule.register(c), 'bench_risk');
  const up = Date.now();
  try {
    await submit(stack.svc.url, dealers);
    const submitted = Date.now();
    let uniform = 0;
    let risk = 0;
    let sampled = 0;
    let same = 0;
    for (const d of dealers) {
      const seed = `svc:${d.code}`;
      const drawn = await request(stack.svc.url)
        .post('/v1/audits')
        .set(auth('after-sales'))
        .send({ dealerCode: d.code, month: MONTH, percent: PERCENT, seed, weighting: 'RISK' })
        .expect(201);
      const served: string[] = drawn.body.sample.map((s: { serial: string }) => s.serial);
      const f = facts.get(d.code)!;
      const scored = scoreCards(f.cards, f.dealer);
      const serials = scored.map((s) => s.serial);
      const expected = drawWeightedSample(
        seed,
        serials,
        scored.map((s) => s.score),
        PERCENT,
      ).serials;
      if (served.join() === expected.join()) same++;
      const fake = new Set(d.cards.filter((c) => c.fake).map((c) => c.serial));
      sampled += served.length;
      risk += served.filter((s) => fake.has(s)).length;
      uniform += drawSample(seed, serials, PERCENT).serials.filter((s) => fake.has(s)).length;
    }
    log(
      `through the service: ${dealers.length} dealers, ${dealers.reduce((n, d) => n + d.cards.length, 0)} cards, ${sampled} sampled; ` +
        `RISK audits found ${risk} fakes, a uniform draw of the same seeds ${uniform}; ${same}/${dealers.length} samples identical to the in-memory draw ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s: start ${secs(started, up)}, submit ${secs(up, submitted)}, audits ${secs(submitted, Date.now())})`,
    );
    if (same !== dealers.length) {
      log('the service drew other samples than the in-memory draw over the same cards');
      process.exitCode = 1;
    }
  } finally {
    await stack.close();
  }
}
