import request from 'supertest';
import { Client } from 'pg';
import { people, RunningService, ServiceUnderTest } from '@app/testing';
import { registerDealers, startDealersService } from '../dealers.test-support';
import { RISK_WEIGHTS } from './risk-signals';

jest.setTimeout(90_000);

const { financeAlice: finance, adminAnn: admin, afterSalesBob: afterSales, auditorCarl: auditor, d001, d002 } = people;

/** 20 genuine cards: spread serials, own phones and addresses, mid-month dates, EB-100 (reported sold). */
const genuine = Array.from({ length: 20 }, (_, i) => ({
  serial: `GEN-${String(i * 10).padStart(4, '0')}`,
  model: 'EB-100',
  saleDate: `2026-01-${String(5 + (i % 10)).padStart(2, '0')}`,
  consumerName: '王五',
  phone: `1391${String(1000000 + i).padStart(7, '0')}`,
  address: `杭州市西湖区文三路 ${i + 1} 号`,
}));
/** 7 planted cards: a serial run, one phone (also on a D002 card), month-end dates, EB-200 (none reported sold). */
const FAKE_PHONE = '13800000001';
const planted = Array.from({ length: 7 }, (_, i) => ({
  serial: `FAKE-${String(i + 1).padStart(4, '0')}`,
  model: 'EB-200',
  saleDate: i % 2 ? '2026-01-30' : '2026-01-31',
  consumerName: '李四',
  phone: FAKE_PHONE,
  address: `宁波市海曙区中山路 ${i + 1} 号`,
}));
const plantedSerials = new Set(planted.map((c) => c.serial));
const PLANTED_SCORE =
  1 +
  RISK_WEIGHTS.PHONE_AT_OTHER_DEALERS +
  RISK_WEIGHTS.MORE_CARDS_THAN_SOLD +
  RISK_WEIGHTS.SHARED_PHONE +
  RISK_WEIGHTS.SERIAL_RUN +
  RISK_WEIGHTS.MONTH_END_CLUSTER;

interface SampledCard {
  serial: string;
  score: number | null;
  signals: Array<{ code: string; weight: number; reason: string }>;
}

describe('risk-weighted callback audits through HTTP (R-AUD-1, weighting RISK)', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let auditId: string;
  let sample: SampledCard[];
  const drawAudit = (body: Record<string, string>) => request(svc.url).post('/v1/audits').set(afterSales).send(body);

  beforeAll(async () => {
    stack = await startDealersService('int_dealers_risk_audits');
    ({ svc, sql } = stack);
    await registerDealers(svc.url, finance, ['D001', 'D002']);
    for (const model of ['EB-100', 'EB-200'])
      await request(svc.url)
        .put(`/v1/product-models/${model}`)
        .set(admin)
        .send({ name: `电动自行车 ${model}` })
        .expect((r) => expect([200, 201]).toContain(r.status));
    const batch = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .send({ cards: [...genuine, ...planted] });
    expect(batch.status).toBe(201);
    expect(batch.body.accepted).toBe(27);
    const other = await request(svc.url)
      .post('/v1/dealers/D002/reports/2026-01/warranty-cards')
      .set(d002)
      .send({
        cards: [
          { ...planted[0], serial: 'OTHER-0001', model: 'EB-100', saleDate: '2026-01-12', address: '温州市鹿城区' },
        ],
      });
    expect(other.body.accepted).toBe(1);
    await request(svc.url)
      .put('/v1/dealers/D001/reports/2026-01/sales')
      .set(d001)
      .send({ lines: [{ outlet: 'D001', model: 'EB-100', units: 20, amount: '39980.00' }] })
      .expect(200);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('R-AUD-1 weighting RISK draws mostly the planted cards, each with its score and the signals that fired', async () => {
    const drawn = await drawAudit({
      dealerCode: 'D001',
      month: '2026-01',
      percent: '20',
      seed: 'risk-2026-01',
      weighting: 'RISK',
    });
    expect(drawn.status).toBe(201);
    expect(drawn.body).toMatchObject({ weighting: 'RISK', populationCount: 27, sampleSize: 6, seed: 'risk-2026-01' });
    auditId = drawn.body.id;
    sample = drawn.body.sample;
    // 7 cards of score 17 against 20 of score 1: a uniform draw of 6 would expect 1.6 planted cards.
    expect(sample.filter((s) => plantedSerials.has(s.serial)).length).toBeGreaterThanOrEqual(5);
    for (const s of sample) {
      if (plantedSerials.has(s.serial)) {
        expect(s.score).toBe(PLANTED_SCORE);
        expect(s.signals.map((x) => x.code).sort()).toEqual(
          ['MONTH_END_CLUSTER', 'MORE_CARDS_THAN_SOLD', 'PHONE_AT_OTHER_DEALERS', 'SERIAL_RUN', 'SHARED_PHONE'].sort(),
        );
      } else {
        expect(s).toMatchObject({ score: 1, signals: [] });
      }
    }
    const risky = sample.find((s) => plantedSerials.has(s.serial)) as SampledCard;
    const reasons = Object.fromEntries(risky.signals.map((x) => [x.code, x.reason]));
    expect(reasons).toMatchObject({
      SHARED_PHONE: 'the phone is on 8 accepted cards',
      PHONE_AT_OTHER_DEALERS: 'the phone is on cards of 2 dealers',
      SERIAL_RUN: 'one of 7 consecutive serials (FAKE-0001 to FAKE-0007)',
      MORE_CARDS_THAN_SOLD: '7 cards of EB-200 at D001 this month against 0 units reported sold',
    });
    expect(reasons.MONTH_END_CLUSTER).toMatch(
      /^sold on 2026-01-3[01], at the month's end, like 25% of the month's cards$/,
    );
  });

  it('R-AUD-1 the reasons come in Chinese when the client asks for it', async () => {
    const zh = await request(svc.url).get(`/v1/audits/${auditId}`).set(auditor).set('Accept-Language', 'zh-CN');
    expect(zh.status).toBe(200);
    const risky = zh.body.sample.find((s: SampledCard) => plantedSerials.has(s.serial)) as SampledCard;
    const reasons = Object.fromEntries(risky.signals.map((x) => [x.code, x.reason]));
    expect(reasons.SHARED_PHONE).toBe('该电话出现在 8 张已接收的保修卡上');
    expect(reasons.MORE_CARDS_THAN_SOLD).toBe('本月网点 D001 的 EB-200 有 7 张保修卡，而上报销量只有 0 台');
    const en = await request(svc.url).get(`/v1/audits/${auditId}`).set(auditor).set('Accept-Language', 'en');
    expect(en.body.sample).toEqual(sample);
  });

  it('R-AUD-1 an auditor redraws the same sample from the stored seed and scores; altered scores are caught', async () => {
    const redraw = await request(svc.url).get(`/v1/audits/${auditId}/redraw`).set(auditor).expect(200);
    const serials = sample.map((s) => s.serial);
    expect(redraw.body).toMatchObject({
      weighting: 'RISK',
      matches: true,
      populationIntact: true,
      storedSample: serials,
      redrawnSample: serials,
      currentPopulation: { count: 27, unchanged: true },
    });
    expect(redraw.body.riskHash).toMatch(/^[0-9a-f]{64}$/);
    // Someone lowers every score behind the application's back: the redraw no longer vouches for the sample.
    await sql.query(
      `UPDATE callback_audits SET population_scores = array_fill(1, ARRAY[population_count]) WHERE id = $1`,
      [auditId],
    );
    const tampered = await request(svc.url).get(`/v1/audits/${auditId}/redraw`).set(auditor).expect(200);
    expect(tampered.body).toMatchObject({ populationIntact: false, matches: false });
  });

  it("R-AUD-1 a dealer's earlier FALSIFIED findings add weight to its patterned cards in the next RISK audit", async () => {
    for (const s of sample)
      await request(svc.url)
        .put(`/v1/warranty-cards/${s.serial}/audit`)
        .set(afterSales)
        .send({ result: plantedSerials.has(s.serial) ? 'FALSIFIED' : 'VERIFIED' })
        .expect(200);
    await request(svc.url).post(`/v1/audits/${auditId}/close`).set(afterSales).expect(200);
    const falsified = sample.filter((s) => plantedSerials.has(s.serial)).length;

    const february = [
      ...Array.from({ length: 6 }, (_, i) => ({
        ...genuine[i],
        serial: `FEBG-${String(i * 10).padStart(4, '0')}`,
        saleDate: '2026-02-10',
        phone: `1392${String(1000000 + i).padStart(7, '0')}`,
        address: `杭州市上城区解放路 ${i + 1} 号`,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        ...genuine[0],
        serial: `FEBP-${String(i * 10).padStart(4, '0')}`,
        saleDate: '2026-02-11',
        phone: '13800000002',
        address: `绍兴市越城区 ${i + 1} 号`,
      })),
    ];
    const batch = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-02/warranty-cards')
      .set(d001)
      .send({ cards: february });
    expect(batch.body.accepted).toBe(9);
    const drawn = await drawAudit({
      dealerCode: 'D001',
      month: '2026-02',
      percent: '100',
      seed: 'f',
      weighting: 'RISK',
    });
    expect(drawn.status).toBe(201);
    const byPrefix = (prefix: string) => drawn.body.sample.filter((s: SampledCard) => s.serial.startsWith(prefix));
    for (const s of byPrefix('FEBP-')) {
      expect(s.score).toBe(1 + RISK_WEIGHTS.SHARED_PHONE + RISK_WEIGHTS.EARLIER_FALSIFIED);
      expect(s.signals.find((x: { code: string }) => x.code === 'EARLIER_FALSIFIED')?.reason).toBe(
        `${falsified} of 6 cards checked in the dealer's earlier audits were falsified`,
      );
    }
    for (const s of byPrefix('FEBG-')) expect(s).toMatchObject({ score: 1, signals: [] });
  });

  it('R-AUD-1 without weighting the draw stays uniform, with no scores', async () => {
    const uniform = await drawAudit({ dealerCode: 'D002', month: '2026-01', percent: '100', seed: 'u' });
    expect(uniform.status).toBe(201);
    expect(uniform.body.weighting).toBe('UNIFORM');
    expect(uniform.body.sample).toEqual([expect.objectContaining({ serial: 'OTHER-0001', score: null, signals: [] })]);
    const redraw = await request(svc.url).get(`/v1/audits/${uniform.body.id}/redraw`).set(auditor).expect(200);
    expect(redraw.body).toMatchObject({ weighting: 'UNIFORM', riskHash: null, matches: true });
  });

  it('R-AUD-1 refuses an unknown weighting with a problem naming the field, and stores nothing', async () => {
    const bad = await drawAudit({ dealerCode: 'D001', month: '2026-03', percent: '10', weighting: 'HEAVY' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['weighting']);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM callback_audits WHERE report_month = '2026-03'`);
    expect(rows[0].n).toBe(0);
  });
});
