import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { eventually, people, testEnvelope } from '@app/testing';
import type { KafkaProbe, RunningService, ServiceUnderTest, TestDatabase } from '@app/testing';
import { startDealersService } from '../dealers.test-support';

jest.setTimeout(90_000);

const { financeAlice: finance, admin, afterSales, auditor, d001, d002 } = people;

let phoneSeq = 0;
/** A card with a phone of its own, so PHONE_REUSED only shows where a test means it. */
function card(serial: string, overrides: Record<string, unknown> = {}) {
  phoneSeq += 1;
  const phone = `139${String(phoneSeq).padStart(8, '0')}`;
  return {
    serial,
    model: 'EB-100',
    saleDate: '2026-01-10',
    consumerName: '李四',
    phone,
    address: '杭州市西湖区',
    ...overrides,
  };
}

describe('dealers: registry, catalogue, shipments and the R-CARD-1 rules over HTTP', () => {
  let db: TestDatabase;
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  const submit = (dealer: string, month: string, cards: unknown[], auth = dealer === 'D001' ? d001 : d002) =>
    request(svc.url).post(`/v1/dealers/${dealer}/reports/${month}/warranty-cards`).set(auth).send({ cards });
  const codes = (res: request.Response) =>
    res.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status);
  /** Per card of a batch, whether it came back flagged PHONE_REUSED. */
  const phoneReused = (res: request.Response) =>
    res.body.results.map((r: { flags: string[] }) => r.flags.includes('PHONE_REUSED'));

  beforeAll(async () => {
    stack = await startDealersService('int_dealer_cards');
    ({ db, svc, sql, probe } = stack);
    for (const code of ['D001', 'D002', 'D003']) {
      await request(svc.url)
        .post('/v1/dealers')
        .set(finance)
        .send({ code, name: `Dealer ${code}` })
        .expect(201);
    }
    await request(svc.url).put('/v1/product-models/EB-100').set(admin).send({ name: '电动自行车 EB-100' }).expect(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('R-CARD-1 UNKNOWN_OUTLET: a registered sub-distributor is a valid outlet of its dealer only', async () => {
    const created = await request(svc.url)
      .post('/v1/dealers/D001/sub-distributors')
      .set(finance)
      .send({ code: 'S01', name: '余杭分销点' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'S01', dealerCode: 'D001' });
    await request(svc.url)
      .post('/v1/dealers/D001/sub-distributors')
      .set(finance)
      .send({ code: 'S01', name: 'again' })
      .expect(409);
    const clash = await request(svc.url)
      .post('/v1/dealers/D001/sub-distributors')
      .set(finance)
      .send({ code: 'D002', name: 'a dealer code' });
    expect(clash.body).toMatchObject({ status: 409, code: 'OUTLET_CODE_TAKEN' });
    await request(svc.url)
      .post('/v1/dealers/D001/sub-distributors')
      .set(d001)
      .send({ code: 'S09', name: 'self-made' })
      .expect(403);
    const own = await request(svc.url).get('/v1/dealers/D001/sub-distributors').set(d001).expect(200);
    expect(own.body.map((s: { code: string }) => s.code)).toEqual(['S01']);
    await request(svc.url).get('/v1/dealers/D001/sub-distributors').set(d002).expect(404);

    const a = await submit('D001', '2026-01', [
      card('OUT-0001', { outlet: 'S01' }),
      card('OUT-0002', { outlet: 'S02' }),
    ]);
    expect(codes(a)).toEqual(['ACCEPTED', 'UNKNOWN_OUTLET']);
    const b = await submit('D002', '2026-01', [card('OUT-0003', { outlet: 'S01' })]);
    expect(codes(b)).toEqual(['UNKNOWN_OUTLET']);
  });

  it('R-CARD-1 UNKNOWN_MODEL: the product catalogue decides; a model added later is accepted', async () => {
    const before = await submit('D001', '2026-01', [card('MOD-0001', { model: 'EB-300' })]);
    expect(codes(before)).toEqual(['UNKNOWN_MODEL']);
    const put = await request(svc.url)
      .put('/v1/product-models/eb-300')
      .set(finance)
      .send({ name: 'EB-300', category: 'e-bike' });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ model: 'EB-300', category: 'e-bike' });
    const update = await request(svc.url).put('/v1/product-models/EB-300').set(finance).send({ name: 'EB-300 Pro' });
    expect(update.status).toBe(200);
    const read = await request(svc.url).get('/v1/product-models/EB-300').set(d001).expect(200);
    expect(read.body).toMatchObject({ name: 'EB-300 Pro', category: null });
    await request(svc.url).put('/v1/product-models/EB-400').set(d001).send({ name: 'x' }).expect(403);
    await request(svc.url).get('/v1/product-models/EB-999').set(auditor).expect(404);
    const after = await submit('D001', '2026-01', [card('MOD-0001', { model: 'EB-300' })]);
    expect(codes(after)).toEqual(['ACCEPTED']);
  });

  it('shipment import is idempotent on its reference: same content, same answer; other content, 409; bad lines reported by line', async () => {
    const body = {
      reference: 'DN-0001',
      dealerCode: 'D001',
      shippedOn: '2026-01-05',
      serials: [
        { serial: 'SHIP-0001', model: 'EB-100' },
        { serial: 'SHIP-0002', model: 'EB-100' },
        { serial: 'x', model: 'EB-100' },
        { serial: 'SHIP-0003', model: 'EB-999' },
      ],
    };
    const first = await request(svc.url).post('/v1/shipments').set(finance).send(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ reference: 'DN-0001', received: 4, registered: 2, rejected: 2 });
    expect(first.body.problems.map((p: { line: number; code: string }) => [p.line, p.code])).toEqual([
      [3, 'INVALID_SERIAL'],
      [4, 'UNKNOWN_MODEL'],
    ]);
    const again = await request(svc.url).post('/v1/shipments').set(finance).send(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await request(svc.url)
      .post('/v1/shipments')
      .set(finance)
      .send({ ...body, shippedOn: '2026-01-06' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('SHIPMENT_REFERENCE_CONFLICT');
    const elsewhere = await request(svc.url)
      .post('/v1/shipments')
      .set(admin)
      .send({
        reference: 'DN-0002',
        dealerCode: 'D002',
        shippedOn: '2025-12-20',
        serials: [
          { serial: 'SHIP-0002', model: 'EB-100' },
          { serial: 'SHIP-0010', model: 'EB-100' },
        ],
      });
    expect(elsewhere.body).toMatchObject({
      registered: 1,
      rejected: 1,
      problems: [{ line: 1, code: 'ALREADY_REGISTERED' }],
    });
    await request(svc.url).post('/v1/shipments').set(d001).send(body).expect(403);
    const { rows } = await sql.query(`SELECT serial, dealer_code FROM shipped_serials ORDER BY serial`);
    expect(rows).toEqual([
      { serial: 'SHIP-0001', dealer_code: 'D001' },
      { serial: 'SHIP-0002', dealer_code: 'D001' },
      { serial: 'SHIP-0010', dealer_code: 'D002' },
    ]);
  });

  it('a shipment reference may carry slashes (ERP numbers) and is found by its percent-encoded path', async () => {
    const res = await request(svc.url)
      .post('/v1/shipments')
      .set(finance)
      .send({
        reference: 'DN/2026/0007',
        dealerCode: 'D001',
        shippedOn: '2026-01-07',
        serials: [{ serial: 'SLASH-0001', model: 'EB-100' }],
      });
    expect(res.status).toBe(201);
    const found = await request(svc.url).get('/v1/shipments/DN%2F2026%2F0007').set(finance);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ reference: 'DN/2026/0007', registered: 1 });
  });

  it('shipment import takes 100,000 serials in one request', async () => {
    const serials = Array.from({ length: 100_000 }, (_, i) => ({
      serial: `BULK-${String(i).padStart(6, '0')}`,
      model: 'EB-100',
    }));
    const res = await request(svc.url)
      .post('/v1/shipments')
      .set(finance)
      .send({ reference: 'DN-BULK', dealerCode: 'D003', shippedOn: '2026-01-02', serials });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ received: 100_000, registered: 100_000, rejected: 0 });
  });

  it('R-CARD-1 NOT_SHIPPED_TO_DEALER, SOLD_BEFORE_SHIPPED and SERIAL_NOT_IN_REGISTRY through HTTP; flags reach the stored card and the event', async () => {
    const res = await submit('D001', '2026-01', [
      card('SHIP-0010'), // shipped to D002
      card('SHIP-0001', { saleDate: '2026-01-04' }), // shipped to D001 on 01-05
      card('SHIP-0001', { saleDate: '2026-01-05' }),
      card('NOREG-0001'),
    ]);
    expect(codes(res)).toEqual(['NOT_SHIPPED_TO_DEALER', 'SOLD_BEFORE_SHIPPED', 'ACCEPTED', 'ACCEPTED']);
    expect(res.body.results[2].flags).toEqual([]);
    expect(res.body.results[3].flags).toEqual(['SERIAL_NOT_IN_REGISTRY']);
    const own = await submit('D002', '2026-01', [card('SHIP-0010', { outlet: 'D002' })]);
    expect(codes(own)).toEqual(['ACCEPTED']);
    const { rows } = await sql.query(
      `SELECT serial, flags FROM warranty_cards WHERE serial IN ('SHIP-0001', 'NOREG-0001') ORDER BY serial`,
    );
    expect(rows).toEqual([
      { serial: 'NOREG-0001', flags: ['SERIAL_NOT_IN_REGISTRY'] },
      { serial: 'SHIP-0001', flags: [] },
    ]);
    const events = await sql.query(
      `SELECT envelope FROM outbox_messages WHERE type = 'WarrantyCardsAccepted' ORDER BY id`,
    );
    const cards = events.rows.flatMap((r) => r.envelope.payload.cards);
    expect(cards).toEqual(
      expect.arrayContaining([expect.objectContaining({ serial: 'NOREG-0001', flags: ['SERIAL_NOT_IN_REGISTRY'] })]),
    );
  });

  it('R-CARD-1 PHONE_REUSED: the 4th card of a phone in a quarter is flagged, across dealers and batches', async () => {
    const phone = '13512345678';
    await submit('D002', '2026-02', [card('PHONE-0001', { phone, outlet: 'D002', saleDate: '2026-02-01' })]);
    const res = await submit(
      'D001',
      '2026-03',
      [1, 2, 3].map((i) => card(`PHONE-000${i + 1}`, { phone, saleDate: '2026-03-01' })),
    );
    expect(phoneReused(res)).toEqual([false, false, true]);
    // Another quarter starts counting afresh.
    const q2 = await submit('D001', '2026-04', [card('PHONE-0005', { phone, saleDate: '2026-04-01' })]);
    expect(q2.body.results[0].flags).not.toContain('PHONE_REUSED');
    const listed = await request(svc.url).get('/v1/warranty-cards?flag=PHONE_REUSED').set(finance).expect(200);
    expect(listed.body.items.map((c: { serial: string }) => c.serial)).toEqual(['PHONE-0004']);
  });

  it('R-CARD-1 PHONE_REUSED counts only cards the database accepted: a duplicate does not push a later card over the limit', async () => {
    const phone = '13612345678';
    // PHONE-0001 is already accepted (at D002): refused here as a duplicate, so NEXT-0003 is only the 3rd accepted card of this phone.
    const res = await submit(
      'D001',
      '2026-03',
      ['PHONE-0001', 'NEXT-0001', 'NEXT-0002', 'NEXT-0003'].map((s) => card(s, { phone, saleDate: '2026-03-02' })),
    );
    expect(codes(res)).toEqual(['DUPLICATE_SERIAL', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED']);
    expect(phoneReused(res)).toEqual([false, false, false, false]);
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n FROM warranty_cards WHERE phone = $1 AND 'PHONE_REUSED' = ANY(flags)`,
      [phone],
    );
    expect(rows[0].n).toBe(0);
  });

  it('R-CARD-1 with an Idempotency-Key a batch is decided exactly as without one, and its retry is replayed byte for byte', async () => {
    expect(codes(await submit('D001', '2026-01', [card('KEYLESS-TAKEN'), card('KEYED-TAKEN')]))).toEqual([
      'ACCEPTED',
      'ACCEPTED',
    ]);
    const mixed = (prefix: string) => [
      card(`${prefix}-0001`),
      card(`${prefix}-0001`),
      card(`${prefix}-0002`, { model: 'EB-999' }),
      card(`${prefix}-TAKEN`),
      card(`${prefix}-0003`, { saleDate: '2026-03-01' }),
      card(`${prefix}-0004`),
    ];
    const keyless = await submit('D001', '2026-01', mixed('KEYLESS'));
    const send = () =>
      request(svc.url)
        .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
        .set(d001)
        .set('Idempotency-Key', 'cards-keyed-1');
    const keyedCards = mixed('KEYED');
    const keyed = await send().send({ cards: keyedCards });
    expect(keyed.status).toBe(keyless.status);
    expect(codes(keyed)).toEqual(codes(keyless));
    expect(codes(keyed)).toEqual([
      'ACCEPTED',
      'DUPLICATE_SERIAL',
      'UNKNOWN_MODEL',
      'DUPLICATE_SERIAL',
      'SALE_DATE_OUT_OF_WINDOW',
      'ACCEPTED',
    ]);
    expect([keyed.body.accepted, keyed.body.rejected]).toEqual([keyless.body.accepted, keyless.body.rejected]);

    const replay = await send().send({ cards: keyedCards });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(keyed.text);
    const stored = await sql.query(`SELECT count(*)::int AS n FROM warranty_cards WHERE batch_id = $1`, [
      keyed.body.batchId,
    ]);
    expect(stored.rows[0].n).toBe(2);
    const batches = await sql.query(
      `SELECT count(*)::int AS n FROM warranty_card_batches WHERE submitted_by = 'dealer-D001' AND report_month = '2026-01' AND id = $1`,
      [keyed.body.batchId],
    );
    expect(batches.rows[0].n).toBe(1);
    const events = await sql.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE type = 'WarrantyCardsAccepted' AND envelope->'payload'->>'batchId' = $1`,
      [keyed.body.batchId],
    );
    expect(events.rows[0].n).toBe(1);
  });

  describe('a serial another transaction is writing while the batch is stored', () => {
    /** Holds an uncommitted accepted card of D002 for `serial`; the batch's write must wait for it. */
    async function holdSerial(serial: string): Promise<Client> {
      const other = new Client({ connectionString: db.url });
      await other.connect();
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO warranty_cards (batch_id, dealer_code, report_month, serial, model, sale_date, outlet, consumer_name, phone, address, status)
         VALUES ($1, 'D002', '2026-03', $2, 'EB-100', '2026-03-01', 'D002', '王五', '13700000000', '宁波市', 'ACCEPTED')`,
        [randomUUID(), serial],
      );
      return other;
    }
    const waitingOnLock = (waiters = 1) =>
      eventually(
        async () => {
          const { rows } = await sql.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows[0].n >= waiters ? true : undefined;
        },
        10_000,
        50,
      );

    it('R-CARD-1 DUPLICATE_SERIAL: the other transaction commits first: that card is refused, the rest accepted, PHONE_REUSED recounted', async () => {
      const phone = '13655554444';
      const other = await holdSerial('HELD-0002');
      const pending = submit(
        'D001',
        '2026-03',
        ['HELD-0001', 'HELD-0002', 'HELD-0003', 'HELD-0004'].map((s) => card(s, { phone, saleDate: '2026-03-03' })),
      ).then((r) => r); // sent now, answered later
      await waitingOnLock();
      await other.query('COMMIT');
      await other.end();
      const res = await pending;
      expect(codes(res)).toEqual(['ACCEPTED', 'DUPLICATE_SERIAL', 'ACCEPTED', 'ACCEPTED']);
      // Four cards passed the rules, but only three were stored: none is the 4th card of the phone.
      expect(phoneReused(res)).toEqual([false, false, false, false]);
      const { rows } = await sql.query(
        `SELECT serial, dealer_code, flags FROM warranty_cards WHERE serial LIKE 'HELD-%' AND status = 'ACCEPTED' ORDER BY serial`,
      );
      expect(rows).toEqual([
        { serial: 'HELD-0001', dealer_code: 'D001', flags: ['SERIAL_NOT_IN_REGISTRY'] },
        { serial: 'HELD-0002', dealer_code: 'D002', flags: [] },
        { serial: 'HELD-0003', dealer_code: 'D001', flags: ['SERIAL_NOT_IN_REGISTRY'] },
        { serial: 'HELD-0004', dealer_code: 'D001', flags: ['SERIAL_NOT_IN_REGISTRY'] },
      ]);
    });

    /**
     * A cycle of waits through another writer: A writes <p>-0001 then waits for the other writer's
     * <p>-0003; B writes <p>-0002 then waits for A's <p>-0001; the other writer then waits for B's
     * <p>-0002. PostgreSQL rolls one batch back; it runs again and each serial is accepted once.
     */
    const deadlockCycle = async (
      prefix: string,
      sendA: (body: { cards: unknown[] }) => Promise<request.Response>,
      sendB: (body: { cards: unknown[] }) => Promise<request.Response>,
    ): Promise<{
      ra: request.Response;
      rb: request.Response;
      bodyA: { cards: unknown[] };
      bodyB: { cards: unknown[] };
    }> => {
      const deadlocks = async () =>
        (await sql.query(`SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`)).rows[0]
          .n as number;
      const deadlocksBefore = await deadlocks();
      // The other writer never detects the deadlock itself, so one of the two batches is the one rolled back.
      const other = new Client({ connectionString: db.url });
      await other.connect();
      await other.query(`SET deadlock_timeout = '60s'`);
      await other.query('BEGIN');
      const insertByOther = (serial: string) =>
        other.query(
          `INSERT INTO warranty_cards (batch_id, dealer_code, report_month, serial, model, sale_date, outlet, consumer_name, phone, address, status)
         VALUES ($1, 'D003', '2026-03', $2, 'EB-100', '2026-03-01', 'D003', '王五', '13700000000', '宁波市', 'ACCEPTED')`,
          [randomUUID(), serial],
        );
      await insertByOther(`${prefix}-0003`);
      const bodyA = { cards: [`${prefix}-0001`, `${prefix}-0003`].map((s) => card(s, { saleDate: '2026-03-04' })) };
      const bodyB = {
        cards: [`${prefix}-0001`, `${prefix}-0002`].map((s) => card(s, { outlet: 'D002', saleDate: '2026-03-04' })),
      };
      const a = sendA(bodyA);
      await waitingOnLock(1);
      const b = sendB(bodyB);
      await waitingOnLock(2);
      const otherOutcome = await insertByOther(`${prefix}-0002`).then(
        () => 'inserted',
        (err: { code?: string }) => err.code,
      );
      expect(['inserted', '23505']).toContain(otherOutcome);
      await other.query('ROLLBACK');
      await other.end();

      const [ra, rb] = await Promise.all([a, b]);
      expect([ra.status, rb.status]).toEqual([201, 201]);
      const [a1, a3] = codes(ra);
      const [b1, b2] = codes(rb);
      expect([a3, b2]).toEqual(['ACCEPTED', 'ACCEPTED']);
      expect([a1, b1].sort()).toEqual(['ACCEPTED', 'DUPLICATE_SERIAL']);
      const { rows } = await sql.query(
        `SELECT serial, dealer_code FROM warranty_cards WHERE serial LIKE $1 AND status = 'ACCEPTED' ORDER BY serial`,
        [`${prefix}-%`],
      );
      expect(rows).toEqual([
        { serial: `${prefix}-0001`, dealer_code: a1 === 'ACCEPTED' ? 'D001' : 'D002' },
        { serial: `${prefix}-0002`, dealer_code: 'D002' },
        { serial: `${prefix}-0003`, dealer_code: 'D001' },
      ]);
      await eventually(async () => ((await deadlocks()) > deadlocksBefore ? true : undefined), 10_000, 100);
      return { ra, rb, bodyA, bodyB };
    };

    it('R-CARD-1 a cycle of waits through another writer: PostgreSQL rolls one batch back, it runs again, each serial is accepted once', async () => {
      // .then() sends each request now; the cycle waits for them to block.
      await deadlockCycle(
        'LOOP',
        (body) => submit('D001', '2026-03', body.cards).then((r) => r),
        (body) => submit('D002', '2026-03', body.cards).then((r) => r),
      );
    });

    it('R-CARD-1 with an Idempotency-Key: the other transaction commits first, the COPY falls back under its savepoint, and the answer is replayed', async () => {
      const other = await holdSerial('KHELD-0002');
      const body = {
        cards: ['KHELD-0001', 'KHELD-0002', 'KHELD-0003'].map((s) => card(s, { saleDate: '2026-03-03' })),
      };
      const send = () =>
        request(svc.url)
          .post('/v1/dealers/D001/reports/2026-03/warranty-cards')
          .set(d001)
          .set('Idempotency-Key', 'cards-held-1')
          .send(body);
      const pending = send().then((r) => r);
      await waitingOnLock();
      await other.query('COMMIT');
      await other.end();
      const res = await pending;
      expect(codes(res)).toEqual(['ACCEPTED', 'DUPLICATE_SERIAL', 'ACCEPTED']);
      const replay = await send();
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(res.text);
      const { rows } = await sql.query(
        `SELECT serial, dealer_code FROM warranty_cards WHERE serial LIKE 'KHELD-%' AND status = 'ACCEPTED' ORDER BY serial`,
      );
      expect(rows).toEqual([
        { serial: 'KHELD-0001', dealer_code: 'D001' },
        { serial: 'KHELD-0002', dealer_code: 'D002' },
        { serial: 'KHELD-0003', dealer_code: 'D001' },
      ]);
    });

    it('R-CARD-1 with Idempotency-Keys, a cycle of waits through another writer: the batch rolled back reruns inside its request transaction, each serial is accepted once', async () => {
      const sendA = (body: { cards: unknown[] }) =>
        request(svc.url)
          .post('/v1/dealers/D001/reports/2026-03/warranty-cards')
          .set(d001)
          .set('Idempotency-Key', 'cards-loop-a')
          .send(body)
          .then((r) => r);
      const sendB = (body: { cards: unknown[] }) =>
        request(svc.url)
          .post('/v1/dealers/D002/reports/2026-03/warranty-cards')
          .set(d002)
          .set('Idempotency-Key', 'cards-loop-b')
          .send(body)
          .then((r) => r);
      const { ra, rb, bodyA, bodyB } = await deadlockCycle('KLOOP', sendA, sendB);
      const [replayA, replayB] = [await sendA(bodyA), await sendB(bodyB)];
      expect([replayA.text, replayB.text]).toEqual([ra.text, rb.text]);
      expect([replayA.headers['idempotent-replayed'], replayB.headers['idempotent-replayed']]).toEqual([
        'true',
        'true',
      ]);
    });

    it('R-CARD-1 the other transaction rolls back: the serial is free and the whole batch is accepted', async () => {
      const other = await holdSerial('HOLD-0002');
      const pending = submit(
        'D001',
        '2026-03',
        ['HOLD-0001', 'HOLD-0002'].map((s) => card(s, { saleDate: '2026-03-03' })),
      ).then((r) => r);
      await waitingOnLock();
      await other.query('ROLLBACK');
      await other.end();
      const res = await pending;
      expect(codes(res)).toEqual(['ACCEPTED', 'ACCEPTED']);
      const { rows } = await sql.query(
        `SELECT serial, dealer_code FROM warranty_cards WHERE serial LIKE 'HOLD-%' AND status = 'ACCEPTED' ORDER BY serial`,
      );
      expect(rows).toEqual([
        { serial: 'HOLD-0001', dealer_code: 'D001' },
        { serial: 'HOLD-0002', dealer_code: 'D001' },
      ]);
    });
  });

  it('withdrawal frees the serial: another dealer may then report it; the withdrawal is published', async () => {
    expect(codes(await submit('D001', '2026-02', [card('WD-0001', { saleDate: '2026-02-03' })]))).toEqual(['ACCEPTED']);
    expect(
      codes(await submit('D002', '2026-02', [card('WD-0001', { outlet: 'D002', saleDate: '2026-02-03' })])),
    ).toEqual(['DUPLICATE_SERIAL']);
    // D002 reaches neither D001's path nor, through its own path, D001's card.
    await request(svc.url).delete('/v1/dealers/D001/reports/2026-02/warranty-cards/WD-0001').set(d002).expect(404);
    await request(svc.url).delete('/v1/dealers/D002/reports/2026-02/warranty-cards/WD-0001').set(d002).expect(404);
    const wd = await request(svc.url).delete('/v1/dealers/D001/reports/2026-02/warranty-cards/WD-0001').set(d001);
    expect(wd.status).toBe(200);
    expect(wd.body).toMatchObject({ serial: 'WD-0001', status: 'WITHDRAWN', dealerCode: 'D001' });
    await request(svc.url).delete('/v1/dealers/D001/reports/2026-02/warranty-cards/WD-0001').set(d001).expect(404);
    const { rows } = await sql.query(`SELECT message_key FROM outbox_messages WHERE type = 'WarrantyCardWithdrawn'`);
    expect(rows).toEqual([{ message_key: 'D001' }]);
    expect(
      codes(await submit('D002', '2026-02', [card('WD-0001', { outlet: 'D002', saleDate: '2026-02-03' })])),
    ).toEqual(['ACCEPTED']);
  });

  it('lists cards filtered and paginated; a dealer only ever sees its own', async () => {
    const mine = await request(svc.url).get('/v1/warranty-cards?dealer=D001&limit=500').set(d002).expect(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(new Set(mine.body.items.map((c: { dealerCode: string }) => c.dealerCode))).toEqual(new Set(['D002']));
    const withdrawn = await request(svc.url)
      .get('/v1/warranty-cards?dealer=D001&month=2026-02&status=WITHDRAWN')
      .set(auditor)
      .expect(200);
    expect(withdrawn.body.items.map((c: { serial: string }) => c.serial)).toEqual(['WD-0001']);
    const page1 = await request(svc.url).get('/v1/warranty-cards?dealer=D001&limit=2').set(afterSales).expect(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await request(svc.url)
      .get(`/v1/warranty-cards?dealer=D001&limit=2&cursor=${page1.body.nextCursor}`)
      .set(afterSales)
      .expect(200);
    // Newest first: the next page goes on with older cards.
    expect(Number(page2.body.items[0].id)).toBeLessThan(Number(page1.body.items[1].id));
    await request(svc.url).get('/v1/warranty-cards?status=LOST').set(finance).expect(400);
  });

  it('R-CARD-1 REPORT_CLOSED after settlement approves the quarter: no cards, no withdrawals, no agreement rewriting the months', async () => {
    expect(codes(await submit('D001', '2026-01', [card('CLOSE-0001')]))).toEqual(['ACCEPTED']);
    const envelope = testEnvelope(
      'QuarterApproved',
      'D001',
      {
        dealerCode: 'D001',
        quarter: '2026-Q1',
        statementId: randomUUID(),
        months: ['2026-01', '2026-02', '2026-03'],
        approvedBy: 'finance-alice',
        approvedAt: new Date().toISOString(),
      },
      { producer: 'settlement' },
    );
    await probe.publish(Topics.settlement, 'D001', JSON.stringify(envelope));
    // A second approval message (another eventId) is applied idempotently.
    await probe.publish(Topics.settlement, 'D001', JSON.stringify({ ...envelope, eventId: randomUUID() }));
    await eventually(async () => {
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM closed_months WHERE dealer_code = 'D001'`);
      return rows[0].n === 3 ? true : undefined;
    }, 30_000);

    const closed = await submit('D001', '2026-01', [card('CLOSE-0002'), card('bad')]);
    expect(codes(closed)).toEqual(['REPORT_CLOSED', 'REPORT_CLOSED']);
    expect(closed.body.accepted).toBe(0);
    // Another dealer's months stay open.
    expect(codes(await submit('D002', '2026-01', [card('CLOSE-0003', { outlet: 'D002' })]))).toEqual(['ACCEPTED']);
    const wd = await request(svc.url).delete('/v1/dealers/D001/reports/2026-01/warranty-cards/CLOSE-0001').set(d001);
    expect(wd.status).toBe(409);
    expect(wd.body.code).toBe('REPORT_CLOSED');

    const terms = { allowanceBasis: 'PER_CARD', settlementMode: 'PAYOUT', unitRate: '15.00' };
    const rewrite = await request(svc.url)
      .post('/v1/dealers/D001/agreements')
      .set(finance)
      .send({ effectiveFrom: '2026-03-01', ...terms });
    expect(rewrite.status).toBe(409);
    expect(rewrite.body.code).toBe('AGREEMENT_MONTH_CLOSED');
    await request(svc.url)
      .post('/v1/dealers/D001/agreements')
      .set(finance)
      .send({ effectiveFrom: '2025-10-01', ...terms })
      .expect(409);
    await request(svc.url)
      .post('/v1/dealers/D001/agreements')
      .set(finance)
      .send({ effectiveFrom: '2026-04-01', ...terms })
      .expect(201);
    const { rows } = await sql.query(`SELECT status FROM warranty_cards WHERE serial = 'CLOSE-0001'`);
    expect(rows).toEqual([{ status: 'ACCEPTED' }]);
  });
});
