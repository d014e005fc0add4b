import request from 'supertest';
import { bearer, people } from '@app/testing';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(180_000);

const finance = people.financeAlice;
const afterSales = people.afterSalesWang;
const auditor = people.auditorCarol;
const admin = people.adminAnn;

/** 30 genuine cards and 6 planted ones (one phone, a serial run, month-end dates, a model reported sold 0 times). */
function cardsOf(dealer: string) {
  const genuine = Array.from({ length: 30 }, (_, i) => ({
    serial: `${dealer}G-${String(i * 7).padStart(5, '0')}`,
    model: 'EB-100',
    saleDate: `2026-04-${String(3 + (i % 20)).padStart(2, '0')}`,
    outlet: dealer,
    consumerName: '张三',
    phone: `139${dealer.slice(1)}${String(i).padStart(5, '0')}`,
    address: `上海市浦东新区 ${dealer} 路 ${i + 1} 号`,
  }));
  const planted = Array.from({ length: 6 }, (_, i) => ({
    serial: `${dealer}P-${String(i + 1).padStart(5, '0')}`,
    model: 'EB-200',
    saleDate: '2026-04-30',
    outlet: dealer,
    consumerName: '李四',
    phone: '13700000009',
    address: `上海市闵行区 ${dealer} 路 ${i + 1} 号`,
  }));
  return { genuine, planted };
}

describe('risk-weighted callback audits through the public APIs (R-AUD-1, weighting RISK)', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startSystem();
  });

  afterAll(async () => {
    await sys?.stop();
  });

  it('after-sales draws a RISK sample that finds the planted cards, explains each, and an auditor redraws it', async () => {
    const dealers = sys.dealers.url;
    for (const code of ['D001', 'D002'])
      await request(dealers)
        .post('/v1/dealers')
        .set(finance)
        .send({ code, name: `Dealer ${code}` })
        .expect(201);
    for (const model of ['EB-100', 'EB-200'])
      await request(dealers)
        .put(`/v1/product-models/${model}`)
        .set(admin)
        .send({ name: model })
        .expect((r) => expect([200, 201]).toContain(r.status));
    const planted = new Set<string>();
    for (const code of ['D001', 'D002']) {
      const { genuine, planted: fakes } = cardsOf(code);
      fakes.forEach((c) => planted.add(c.serial));
      const batch = await request(dealers)
        .post(`/v1/dealers/${code}/reports/2026-04/warranty-cards`)
        .set(bearer('dealer', code))
        .send({ cards: [...genuine, ...fakes] });
      expect(batch.body).toMatchObject({ accepted: 36, rejected: 0 });
      await request(dealers)
        .put(`/v1/dealers/${code}/reports/2026-04/sales`)
        .set(bearer('dealer', code))
        .send({ lines: [{ outlet: code, model: 'EB-100', units: 30, amount: '59970.00' }] })
        .expect(200);
    }

    const body = { dealerCode: 'D001', month: '2026-04', percent: '12.5', seed: 'e2e-risk' };
    const drawn = await request(dealers)
      .post('/v1/audits')
      .set(afterSales)
      .set('Accept-Language', 'zh-CN')
      .send({ ...body, weighting: 'RISK' });
    expect(drawn.status).toBe(201);
    expect(drawn.body).toMatchObject({ weighting: 'RISK', populationCount: 36, sampleSize: 5 });
    const sample = drawn.body.sample as Array<{
      serial: string;
      score: number;
      signals: Array<{ code: string; reason: string }>;
    }>;
    // The same seed drawn uniformly would expect 5 × 6/36 < 1 planted card.
    expect(sample.filter((s) => planted.has(s.serial)).length).toBeGreaterThanOrEqual(3);
    const risky = sample.find((s) => planted.has(s.serial))!;
    expect(risky.signals.map((s) => s.code)).toEqual(
      expect.arrayContaining(['PHONE_AT_OTHER_DEALERS', 'SHARED_PHONE', 'SERIAL_RUN', 'MORE_CARDS_THAN_SOLD']),
    );
    expect(risky.signals.find((s) => s.code === 'PHONE_AT_OTHER_DEALERS')!.reason).toBe(
      '该电话出现在 2 个经销商的保修卡上',
    );

    const redraw = await request(dealers).get(`/v1/audits/${drawn.body.id}/redraw`).set(auditor).expect(200);
    expect(redraw.body).toMatchObject({ weighting: 'RISK', matches: true, populationIntact: true });
    expect(redraw.body.redrawnSample).toEqual(sample.map((s) => s.serial));

    const listed = await request(dealers).get('/v1/audits?dealer=D001').set(auditor).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: drawn.body.id, weighting: 'RISK' })]);
  });
});
