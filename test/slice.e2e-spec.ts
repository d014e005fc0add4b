import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { Topics } from '@app/contracts';
import {
  agreementRequest,
  bearer,
  dealerRegistration,
  eventually,
  KafkaProbe,
  people,
  testEnvelope,
} from '@app/testing';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(180_000);

const finance = people.financeAlice;
const dealerD001 = bearer('dealer', 'D001');
const dealerD002 = bearer('dealer', 'D002');
const auditor = bearer('auditor');

let serialSeq = 0;
function card(overrides: Record<string, unknown> = {}) {
  serialSeq += 1;
  return {
    serial: `EB100-${String(serialSeq).padStart(6, '0')}`,
    model: 'EB-100',
    saleDate: '2026-01-10',
    outlet: 'D001',
    consumerName: '张三',
    phone: '13800138000',
    address: '上海市浦东新区',
    ...overrides,
  };
}

describe('foundation slice end to end, through HTTP and Kafka only', () => {
  let sys: TestSystem;
  let probe: KafkaProbe;

  const balance = (quarter = '2026-Q1') =>
    request(sys.settlement.url).get(`/v1/dealers/D001/balance?quarter=${quarter}`).set(finance);

  /** Waits until settlement's balance shows `cards` January cards. */
  const balanceShows = (cards: number) =>
    eventually(async () => {
      const res = await balance();
      return res.status === 200 && res.body.months[0].cards === cards ? res.body : undefined;
    }, 60_000);

  beforeAll(async () => {
    sys = await startSystem();
    probe = new KafkaProbe(sys.broker.brokers);
  });

  afterAll(async () => {
    await probe?.close();
    await sys?.stop();
  });

  it('finance registers D001 and its PER_CARD agreement; every other service learns both from events', async () => {
    const created = await request(sys.dealers.url).post('/v1/dealers').set(finance).send(dealerRegistration());
    expect(created.status).toBe(201);
    await request(sys.dealers.url)
      .post('/v1/dealers')
      .set(finance)
      .send({ code: 'D002', name: '杭州车行' })
      .expect(201);
    await request(sys.dealers.url)
      .put('/v1/product-models/EB-100')
      .set(finance)
      .send({ name: '电动自行车 EB-100' })
      .expect((r) => expect([200, 201]).toContain(r.status));
    const agreement = await request(sys.dealers.url)
      .post('/v1/dealers/D001/agreements')
      .set(finance)
      .send(agreementRequest());
    expect(agreement.status).toBe(201);
    expect(agreement.body).toMatchObject({ version: 1, terms: { unitRate: '15.00', reportDueDay: 3 } });

    for (const svc of [sys.requisitions, sys.returns, sys.settlement]) {
      const known = await eventually(async () => {
        const res = await request(svc.url).get('/v1/dealer-directory/D001').set(finance);
        return res.status === 200 && res.body.agreements.length === 1 ? res.body : undefined;
      }, 60_000);
      expect(known).toMatchObject({
        code: 'D001',
        status: 'ACTIVE',
        agreements: [{ version: 1, effectiveFrom: '2026-01-01', terms: { unitRate: '15.00' } }],
      });
    }
  });

  it('R-CARD-1 the dealer submits a batch with a result per card; a serial already accepted at any dealer is DUPLICATE_SERIAL', async () => {
    const cards = [card(), card(), card(), card({ phone: 'not-a-phone' })];
    const res = await request(sys.dealers.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(dealerD001)
      .send({ cards: [...cards, { ...cards[0] }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ accepted: 3, rejected: 2 });
    expect(res.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'ACCEPTED',
      'ACCEPTED',
      'ACCEPTED',
      'INVALID_FIELD',
      'DUPLICATE_SERIAL',
    ]);
    expect(res.body.results[3]).toMatchObject({ field: 'phone' });

    const again = await request(sys.dealers.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(dealerD001)
      .send({ cards: [cards[1], card()] });
    expect(again.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'DUPLICATE_SERIAL',
      'ACCEPTED',
    ]);
  });

  it('R-SET-1 R-REP-4 settlement shows the accepted cards; January is past its report due time unreported, so they are withheld (DOMAIN §9)', async () => {
    const body = await balanceShows(4);
    expect(body).toMatchObject({
      dealerCode: 'D001',
      quarter: '2026-Q1',
      opening: '0.00',
      accrual: '0.00',
      closing: '0.00',
      pendingMonths: [],
    });
    // As the quarterly run would: every month of the quarter is past due without a report.
    expect(
      body.lines.map((l: { ruleId: string; period: string; quantity: number; amount: string }) => [
        l.ruleId,
        l.period,
        l.quantity,
        l.amount,
      ]),
    ).toEqual([
      ['R-REP-4', '2026-01', 4, '0.00'],
      ['R-REP-4', '2026-02', 0, '0.00'],
      ['R-REP-4', '2026-03', 0, '0.00'],
    ]);
  });

  it('the same event delivered twice is applied once', async () => {
    const batch = {
      dealerCode: 'D001',
      reportMonth: '2026-01',
      batchId: randomUUID(),
      cards: [
        {
          serial: `REPLAY-${randomUUID().slice(0, 8)}`.toUpperCase(),
          model: 'EB-100',
          saleDate: '2026-01-11',
          outlet: 'D001',
          flags: [],
        },
      ],
    };
    const envelope = testEnvelope('WarrantyCardsAccepted', 'D001', batch);
    await probe.publish(Topics.dealers, 'D001', JSON.stringify(envelope));
    await probe.publish(Topics.dealers, 'D001', JSON.stringify(envelope));
    // A later, different event on the same partition proves both copies were consumed.
    const marker = await request(sys.dealers.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(dealerD001)
      .send({ cards: [card()] });
    expect(marker.body.accepted).toBe(1);
    const body = await balanceShows(6);
    expect(body.lines[0]).toMatchObject({ ruleId: 'R-REP-4', quantity: 6, amount: '0.00' });
  });

  it('an event that fails validation lands in the dead-letter topic and the next event on that partition is still applied', async () => {
    const dlq = await probe.collect('settlement.dlq.v1');
    const invalid = testEnvelope('WarrantyCardsAccepted', 'D001', {
      dealerCode: 'D001',
      reportMonth: '2026-01',
      batchId: randomUUID(),
      cards: [{ model: 'EB-100', saleDate: 'yesterday', outlet: 'D001', flags: [] }],
    });
    await probe.publish(Topics.dealers, 'D001', JSON.stringify(invalid));
    const next = await request(sys.dealers.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(dealerD001)
      .send({ cards: [card()] });
    expect(next.body.accepted).toBe(1);

    await balanceShows(7);
    const letter = await eventually(async () => dlq.find((m) => m.value?.includes(invalid.eventId)), 60_000);
    const record = JSON.parse(letter.value!);
    expect(record.reason).toMatch(/serial/);
    expect(record.topic).toBe(Topics.dealers);
  });

  it('with the broker down, dealers still accepts cards (201) and the balance catches up once it is back', async () => {
    await sys.broker.down();
    try {
      const res = await request(sys.dealers.url)
        .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
        .set(dealerD001)
        .send({ cards: [card(), card()] });
      expect(res.status).toBe(201);
      expect(res.body.accepted).toBe(2);
      const now = await balance();
      expect(now.body.months[0].cards).toBe(7);
    } finally {
      await new Promise((r) => setTimeout(r, 3000));
      await sys.broker.up();
    }
    const body = await balanceShows(9);
    expect(body.lines[0]).toMatchObject({ ruleId: 'R-REP-4', quantity: 9, amount: '0.00' });
  });

  it("a dealer token for D002 gets 404 on D001's resources", async () => {
    await request(sys.dealers.url).get('/v1/dealers/D001').set(dealerD002).expect(404);
    await request(sys.dealers.url).get('/v1/dealers/D001/agreements').set(dealerD002).expect(404);
    await request(sys.dealers.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(dealerD002)
      .send({ cards: [card()] })
      .expect(404);
    await request(sys.settlement.url).get('/v1/dealers/D001/balance').set(dealerD002).expect(404);
    for (const svc of [sys.requisitions, sys.returns, sys.settlement]) {
      await request(svc.url).get('/v1/dealer-directory/D001').set(dealerD002).expect(404);
    }
    await request(sys.dealers.url).get('/v1/dealers/D001').set(dealerD001).expect(200);
  });

  it('an auditor token gets 403 on every POST of every service', async () => {
    let checked = 0;
    for (const svc of sys.all) {
      const spec = (await request(svc.url).get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      for (const [path, methods] of Object.entries(spec.paths)) {
        if (!('post' in methods)) continue;
        const concrete = path.replace(/\{[^}]+\}/g, (p) =>
          p === '{month}' ? '2026-01' : p === '{quarter}' ? '2026-Q1' : 'D001',
        );
        const res = await request(svc.url).post(concrete).set(auditor).send({});
        expect({ service: svc.name, path, status: res.status }).toEqual({ service: svc.name, path, status: 403 });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});
