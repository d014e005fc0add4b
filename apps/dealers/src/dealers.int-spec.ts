import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { people, eventually, RunningService, ServiceUnderTest } from '@app/testing';
import { registerDealers, startDealersService } from './dealers.test-support';

jest.setTimeout(60_000);

const { financeAlice: finance, d001, d002 } = people;

function card(serial: string, overrides: Record<string, unknown> = {}) {
  return {
    serial,
    model: 'EB-100',
    saleDate: '2026-01-10',
    consumerName: '李四',
    phone: '13900139000',
    address: '杭州市西湖区',
    ...overrides,
  };
}

describe('dealers service on PostgreSQL with its migrations', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  /** POST /v1/dealers/D001/agreements as finance. */
  const postAgreement = (body: Record<string, unknown>) =>
    request(svc.url).post('/v1/dealers/D001/agreements').set(finance).send(body);

  beforeAll(async () => {
    stack = await startDealersService('int_dealers');
    ({ svc, sql } = stack);
    await registerDealers(svc.url, finance, ['D001', 'D002']);
    // R-CARD-1 UNKNOWN_MODEL: cards name models of the catalogue.
    await request(svc.url).put('/v1/product-models/EB-100').set(finance).send({ name: 'EB-100' }).expect(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('registers a dealer once: a second registration is a 409 problem, and the change is audit-logged with its actor', async () => {
    const again = await request(svc.url).post('/v1/dealers').set(finance).send({ code: 'D001', name: 'again' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, code: 'DEALER_EXISTS' });
    const { rows } = await sql.query(`SELECT actor, role, action FROM audit_log WHERE entity_id = 'D001' ORDER BY id`);
    expect(rows[0]).toEqual({ actor: 'finance-alice', role: 'finance', action: 'dealer.registered' });
  });

  it('refuses bad input with a problem naming the field and the rule, and writes nothing', async () => {
    const res = await request(svc.url).post('/v1/dealers').set(finance).send({ code: 'bad code', name: '' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'name']);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM dealers`);
    expect(rows[0].n).toBe(2);
  });

  it('R-AGR-1 refuses PER_CARD terms without unitRate and an agreement starting mid-month', async () => {
    const noRate = await postAgreement({
      effectiveFrom: '2026-01-01',
      allowanceBasis: 'PER_CARD',
      settlementMode: 'PAYOUT',
      fakeCardPolicy: 'CANCEL_QUARTER',
    });
    expect(noRate.status).toBe(400);
    expect(noRate.body.errors).toEqual([expect.objectContaining({ field: 'unitRate', rule: 'R-AGR-1' })]);
    const midMonth = await postAgreement({
      effectiveFrom: '2026-01-15',
      allowanceBasis: 'PER_CARD',
      settlementMode: 'PAYOUT',
      unitRate: '15.00',
    });
    expect(midMonth.status).toBe(400);
    expect(midMonth.body.errors[0].field).toBe('effectiveFrom');
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM agreements`);
    expect(rows[0].n).toBe(0);
  });

  it('R-AGR-1 versions agreements by effectiveFrom and publishes each version through the outbox', async () => {
    const v1 = await postAgreement({
      effectiveFrom: '2026-01-01',
      allowanceBasis: 'PER_CARD',
      settlementMode: 'FUND_CARRY_OVER',
      unitRate: '15.00',
      modelRates: [{ model: 'EB-200', rate: '20.00' }],
    });
    expect(v1.status).toBe(201);
    const v2 = await postAgreement({
      effectiveFrom: '2026-04-01',
      allowanceBasis: 'PER_CARD',
      settlementMode: 'FUND_CARRY_OVER',
      unitRate: '16.00',
    });
    expect(v2.body.version).toBe(2);
    const dup = await postAgreement({
      effectiveFrom: '2026-04-01',
      allowanceBasis: 'PER_CARD',
      settlementMode: 'FUND_CARRY_OVER',
      unitRate: '17.00',
    });
    expect(dup.status).toBe(409);
    const { rows } = await sql.query(
      `SELECT type, message_key, topic FROM outbox_messages WHERE type = 'AgreementVersionSet' ORDER BY id`,
    );
    expect(rows).toEqual([
      { type: 'AgreementVersionSet', message_key: 'D001', topic: Topics.dealerRegistry },
      { type: 'AgreementVersionSet', message_key: 'D001', topic: Topics.dealerRegistry },
    ]);
  });

  it('R-CARD-1 the same serial submitted concurrently by two dealers is accepted exactly once', async () => {
    const serials = Array.from({ length: 50 }, (_, i) => `RACE-${String(i).padStart(4, '0')}`);
    const [a, b] = await Promise.all([
      request(svc.url)
        .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
        .set(d001)
        .send({ cards: serials.map((s) => card(s)) }),
      request(svc.url)
        .post('/v1/dealers/D002/reports/2026-01/warranty-cards')
        .set(d002)
        .send({ cards: serials.map((s) => card(s, { outlet: 'D002' })) }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.accepted + b.body.accepted).toBe(50);
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n, count(DISTINCT serial)::int AS d FROM warranty_cards WHERE serial LIKE 'RACE-%' AND status = 'ACCEPTED'`,
    );
    expect(rows[0]).toEqual({ n: 50, d: 50 });
  });

  it('R-CARD-1 a batch with only rejected cards writes no card and no event', async () => {
    const before = await sql.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE type = 'WarrantyCardsAccepted'`,
    );
    const res = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .send({ cards: [card('RACE-0001'), card('NEW-0001', { saleDate: '2026-03-01' })] });
    expect(res.body.results.map((r: { code: string }) => r.code)).toEqual([
      'DUPLICATE_SERIAL',
      'SALE_DATE_OUT_OF_WINDOW',
    ]);
    const after = await sql.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE type = 'WarrantyCardsAccepted'`,
    );
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a batch over 5,000 cards or a malformed month with a problem, before touching the database', async () => {
    const tooMany = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .send({ cards: Array.from({ length: 5001 }, (_, i) => card(`MANY-${i}`)) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0]).toMatchObject({ field: 'cards', rule: 'arrayMaxSize' });
    const badMonth = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-13/warranty-cards')
      .set(d001)
      .send({ cards: [card('MONTH-0001')] });
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.errors[0]).toMatchObject({ field: 'month' });
  });

  it('Idempotency-Key: the same key and body returns the first answer; another body is a 409', async () => {
    const key = 'batch-2026-01-0001';
    const body = { cards: [card('IDEM-0001')] };
    const first = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .set('Idempotency-Key', key)
      .send(body);
    const replay = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .set('Idempotency-Key', key)
      .send(body);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.body.results[0].status).toBe('ACCEPTED');
    const other = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .set('Idempotency-Key', key)
      .send({ cards: [card('IDEM-0002')] });
    expect(other.status).toBe(409);
  });

  it('recovers without a restart when the database drops every connection: 503 meanwhile, then batches are stored and their events published', async () => {
    const { db, probe } = stack!;
    const published = await probe.collect(Topics.dealers);
    const admin = new Client({ connectionString: new URL('/postgres', db.url).toString() });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS false`);
      // The pool's connections and the outbox LISTEN connection.
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'dealers%'`,
        [db.name],
      );
      const health = await request(svc.url).get('/health');
      expect(health.status).toBe(503);
      expect(health.body.error.database).toMatchObject({ status: 'down' });
      const refused = await request(svc.url)
        .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
        .set(d001)
        .set('Idempotency-Key', 'recover-1')
        .send({ cards: [card('RECOVER-0001')] });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.body.type).toMatch(/\/database-unavailable$/);
    } finally {
      await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await eventually(async () => ((await request(svc.url).get('/health')).status === 200 ? true : undefined), 30_000);
    const res = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .set('Idempotency-Key', 'recover-1')
      .send({ cards: [card('RECOVER-0001')] });
    expect(res.status).toBe(201);
    expect(res.body.accepted).toBe(1);
    await eventually(
      async () => published.find((m) => JSON.parse(m.value ?? '{}').payload?.batchId === res.body.batchId),
      30_000,
    );
    // The outbox LISTEN connection is back too.
    await eventually(async () => {
      const { rows } = await sql.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'dealers-outbox-listener'`,
      );
      return rows[0].n === 1 ? true : undefined;
    }, 30_000);
  });

  it('lists dealers with cursor pagination', async () => {
    const page1 = await request(svc.url).get('/v1/dealers?limit=1').set(finance).expect(200);
    expect(page1.body.items.map((d: { code: string }) => d.code)).toEqual(['D001']);
    const page2 = await request(svc.url)
      .get(`/v1/dealers?limit=1&cursor=${page1.body.nextCursor}`)
      .set(finance)
      .expect(200);
    expect(page2.body).toMatchObject({ items: [{ code: 'D002' }], nextCursor: null });
  });

  it('serves health, metrics and its OpenAPI document without a token', async () => {
    const health = await request(svc.url).get('/health');
    expect(health.status).toBe(200);
    await request(svc.url)
      .get('/metrics')
      .expect(200)
      .expect(/http_requests_total/);
    const spec = await request(svc.url).get('/docs-json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/v1/dealers', '/v1/dealers/{code}/reports/{month}/warranty-cards']),
    );
  });
});
