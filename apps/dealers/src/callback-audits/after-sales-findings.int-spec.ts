import request from 'supertest';
import { Client } from 'pg';
import { people, RunningService, ServiceUnderTest } from '@app/testing';
import { registerDealers, startDealersService } from '../dealers.test-support';

jest.setTimeout(60_000);

const { financeAlice: finance, adminAnn: admin, afterSalesBob: afterSales, auditorCarl: auditor, d001, d002 } = people;

const serials = Array.from({ length: 30 }, (_, i) => `AUD-${String(i).padStart(4, '0')}`);
function card(serial: string, i: number) {
  return {
    serial,
    model: 'EB-100',
    saleDate: '2026-01-10',
    consumerName: '王五',
    phone: `139${String(10000000 + i).padStart(8, '0')}`,
    address: '杭州市西湖区',
  };
}

describe('callback audits, complaints and violations through HTTP (R-AUD-1..3, DOMAIN §6)', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let auditId: string;
  let sample: string[];
  /** POST /v1/audits as after-sales. */
  const drawAudit = (body: Record<string, string>) => request(svc.url).post('/v1/audits').set(afterSales).send(body);

  beforeAll(async () => {
    stack = await startDealersService('int_dealers_findings');
    ({ svc, sql } = stack);
    await registerDealers(svc.url, finance, ['D001', 'D002']);
    await request(svc.url)
      .post('/v1/dealers/D001/agreements')
      .set(finance)
      .send({
        effectiveFrom: '2026-01-01',
        allowanceBasis: 'PER_CARD',
        settlementMode: 'FUND_CARRY_OVER',
        unitRate: '15.00',
      })
      .expect(201);
    await request(svc.url)
      .put('/v1/product-models/EB-100')
      .set(admin)
      .send({ name: '电动自行车 EB-100' })
      .expect((r) => expect([200, 201]).toContain(r.status));
    const batch = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .send({ cards: serials.map(card) });
    expect(batch.status).toBe(201);
    expect(batch.body.accepted).toBe(30);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('R-AUD-1 only after-sales draws: an auditor gets 403 and a dealer cannot read audits', async () => {
    const byAuditor = await request(svc.url)
      .post('/v1/audits')
      .set(auditor)
      .send({ dealerCode: 'D001', month: '2026-01', percent: '10.00' });
    expect(byAuditor.status).toBe(403);
    await request(svc.url).get('/v1/audits').set(d001).expect(403);
  });

  it("R-AUD-1 draws ceil(n × percent / 100) of the month's accepted cards from the stored seed; a redraw gives the same sample", async () => {
    const drawn = await drawAudit({ dealerCode: 'D001', month: '2026-01', percent: '10.00', seed: 'seed-2026-01' });
    expect(drawn.status).toBe(201);
    expect(drawn.body).toMatchObject({
      dealerCode: 'D001',
      reportMonth: '2026-01',
      percent: '10.0000',
      seed: 'seed-2026-01',
      seedGenerated: false,
      populationCount: 30,
      sampleSize: 3,
      status: 'OPEN',
    });
    expect(drawn.body.populationHash).toMatch(/^[0-9a-f]{64}$/);
    auditId = drawn.body.id;
    sample = drawn.body.sample.map((s: { serial: string }) => s.serial);
    expect(sample).toHaveLength(3);
    expect(sample.every((s) => serials.includes(s))).toBe(true);

    const shown = await request(svc.url).get(`/v1/audits/${auditId}`).set(auditor).expect(200);
    expect(
      shown.body.sample.map((s: { serial: string; model: string; result: null }) => [s.serial, s.model, s.result]),
    ).toEqual(sample.map((s) => [s, 'EB-100', null]));

    const redraw = await request(svc.url).get(`/v1/audits/${auditId}/redraw`).set(auditor).expect(200);
    expect(redraw.body).toMatchObject({
      matches: true,
      populationIntact: true,
      storedSample: sample,
      redrawnSample: sample,
      currentPopulation: { count: 30, unchanged: true },
    });

    const again = await drawAudit({ dealerCode: 'D001', month: '2026-01', percent: '10.00' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('AUDIT_ALREADY_OPEN');
  });

  it('R-AUD-1 refuses a month without accepted cards and a bad percentage with clear problems', async () => {
    const empty = await drawAudit({ dealerCode: 'D002', month: '2026-01', percent: '10.00' });
    expect(empty.status).toBe(422);
    expect(empty.body.code).toBe('EMPTY_POPULATION');
    const zero = await drawAudit({ dealerCode: 'D001', month: '2026-02', percent: '0' });
    expect(zero.status).toBe(400);
    expect(zero.body.code).toBe('INVALID_PERCENT');
  });

  it('R-AUD-2 R-AUD-3 records a result per sampled card, each audit-logged and published as CallbackAuditRecorded', async () => {
    const results = ['VERIFIED', 'FALSIFIED', 'INCOMPLETE'];
    for (const [i, serial] of sample.entries()) {
      const res = await request(svc.url)
        .put(`/v1/warranty-cards/${serial.toLowerCase()}/audit`)
        .set(afterSales)
        .send({ result: results[i], note: `call ${i}` });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        auditId,
        serial,
        model: 'EB-100',
        result: results[i],
        changed: true,
        previousResult: null,
        recordedBy: 'as-bob',
      });
      expect(res.body.recordedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // A correction is allowed while the audit is open and published again; the same result again is not.
    const corrected = await request(svc.url)
      .put(`/v1/warranty-cards/${sample[2]}/audit`)
      .set(afterSales)
      .send({ result: 'VERIFIED' });
    expect(corrected.body).toMatchObject({ changed: true, previousResult: 'INCOMPLETE', result: 'VERIFIED' });
    const same = await request(svc.url)
      .put(`/v1/warranty-cards/${sample[2]}/audit`)
      .set(afterSales)
      .send({ result: 'VERIFIED' });
    expect(same.body).toMatchObject({ changed: false, result: 'VERIFIED' });

    const { rows } = await sql.query(
      `SELECT type, message_key, envelope FROM outbox_messages WHERE type = 'CallbackAuditRecorded' ORDER BY id`,
    );
    expect(rows.map((r) => [r.message_key, r.envelope.payload.serial, r.envelope.payload.result])).toEqual([
      ['D001', sample[0], 'VERIFIED'],
      ['D001', sample[1], 'FALSIFIED'],
      ['D001', sample[2], 'INCOMPLETE'],
      ['D001', sample[2], 'VERIFIED'],
    ]);
    expect(rows[1].envelope.payload).toEqual({
      dealerCode: 'D001',
      reportMonth: '2026-01',
      auditId,
      serial: sample[1],
      model: 'EB-100',
      result: 'FALSIFIED',
      recordedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const log = await sql.query(
      `SELECT actor, details FROM audit_log WHERE action = 'callback-audit.result-recorded' ORDER BY id`,
    );
    expect(log.rows).toHaveLength(4);
    expect(log.rows[3]).toMatchObject({
      actor: 'as-bob',
      details: { previousResult: 'INCOMPLETE', result: 'VERIFIED' },
    });

    const shown = await request(svc.url).get(`/v1/audits/${auditId}`).set(finance).expect(200);
    expect(shown.body.results).toEqual({ verified: 2, falsified: 1, incomplete: 0, pending: 0 });
  });

  it('R-AUD-2 a sampled card cannot be withdrawn by the dealer while it is under audit', async () => {
    const res = await request(svc.url).delete(`/v1/dealers/D001/reports/2026-01/warranty-cards/${sample[1]}`).set(d001);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CARD_UNDER_AUDIT' });
    const { rows } = await sql.query(`SELECT status FROM warranty_cards WHERE serial = $1`, [sample[1]]);
    expect(rows).toEqual([{ status: 'ACCEPTED' }]);
  });

  it('R-AUD-1 refuses a result for a card outside an open sample, and an unknown card', async () => {
    const notSampled = serials.find((s) => !sample.includes(s)) as string;
    const res = await request(svc.url)
      .put(`/v1/warranty-cards/${notSampled}/audit`)
      .set(afterSales)
      .send({ result: 'VERIFIED' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('CARD_NOT_IN_OPEN_AUDIT');
    await request(svc.url)
      .put('/v1/warranty-cards/NO-SUCH-CARD/audit')
      .set(afterSales)
      .send({ result: 'VERIFIED' })
      .expect(404);
    const bad = await request(svc.url)
      .put(`/v1/warranty-cards/${sample[0]}/audit`)
      .set(afterSales)
      .send({ result: 'MAYBE' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('result');
    await request(svc.url)
      .put(`/v1/warranty-cards/${sample[0]}/audit`)
      .set(auditor)
      .send({ result: 'VERIFIED' })
      .expect(403);
  });

  it("R-AUD-1 after the month's cards change, the redraw still matches from the stored population and says the cards changed", async () => {
    await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(d001)
      .send({ cards: [card('AUD-LATE-0001', 99)] })
      .expect(201);
    const redraw = await request(svc.url).get(`/v1/audits/${auditId}/redraw`).set(afterSales).expect(200);
    expect(redraw.body).toMatchObject({
      matches: true,
      populationIntact: true,
      populationCount: 30,
      currentPopulation: { count: 31, unchanged: false },
    });
  });

  it('R-AUD-1 closing freezes the results; a new draw with the same seed over the same cards picks the same sample', async () => {
    const closed = await request(svc.url).post(`/v1/audits/${auditId}/close`).set(afterSales).expect(200);
    expect(closed.body.status).toBe('CLOSED');
    const late = await request(svc.url)
      .put(`/v1/warranty-cards/${sample[0]}/audit`)
      .set(afterSales)
      .send({ result: 'FALSIFIED' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('AUDIT_CLOSED');

    // Back to the original 30 cards: the same seed draws the same sample over the same population.
    await request(svc.url)
      .delete('/v1/dealers/D001/reports/2026-01/warranty-cards/AUD-LATE-0001')
      .set(d001)
      .expect(200);
    const second = await drawAudit({ dealerCode: 'D001', month: '2026-01', percent: '10.00', seed: 'seed-2026-01' });
    expect(second.status).toBe(201);
    expect(second.body.sample.map((s: { serial: string }) => s.serial)).toEqual(sample);
    expect(second.body.populationHash).toBe(closed.body.populationHash);
    const other = await request(svc.url).get(`/v1/audits/${second.body.id}`).set(auditor).expect(200);
    expect(other.body.sampleSize).toBe(3);
    const open = await request(svc.url).post(`/v1/audits/${second.body.id}/close`).set(afterSales);
    expect(open.status).toBe(409);
    expect(open.body.code).toBe('AUDIT_RESULTS_MISSING');

    const list = await request(svc.url).get('/v1/audits?dealer=D001&month=2026-01&limit=1').set(auditor).expect(200);
    // Newest drawn first: the second draw, then the closed one.
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([second.body.id]);
    const next = await request(svc.url)
      .get(`/v1/audits?dealer=D001&month=2026-01&limit=1&cursor=${list.body.nextCursor}`)
      .set(auditor)
      .expect(200);
    expect(next.body).toMatchObject({ items: [{ id: auditId }], nextCursor: null });
  });

  it('R-AUD-1 without a seed one is generated and stored, and the stored seed redraws the sample', async () => {
    const feb = Array.from({ length: 5 }, (_, i) => card(`AUD-FEB-${i}`, 200 + i)).map((c) => ({
      ...c,
      saleDate: '2026-02-03',
    }));
    await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-02/warranty-cards')
      .set(d001)
      .send({ cards: feb })
      .expect(201);
    const drawn = await drawAudit({ dealerCode: 'D001', month: '2026-02', percent: '10' });
    expect(drawn.status).toBe(201);
    expect(drawn.body).toMatchObject({ seedGenerated: true, populationCount: 5, sampleSize: 1 });
    expect(drawn.body.seed).toMatch(/^[0-9a-f]{64}$/);
    const redraw = await request(svc.url).get(`/v1/audits/${drawn.body.id}/redraw`).set(auditor).expect(200);
    expect(redraw.body).toMatchObject({ seed: drawn.body.seed, matches: true });
  });

  it('R-AUD-1 two draws for the same dealer and month at once: the database lets exactly one open', async () => {
    const mar = Array.from({ length: 3 }, (_, i) => ({ ...card(`AUD-MAR-${i}`, 300 + i), saleDate: '2026-03-03' }));
    await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-03/warranty-cards')
      .set(d001)
      .send({ cards: mar })
      .expect(201);
    const draws = await Promise.all(
      [0, 1, 2].map(() => drawAudit({ dealerCode: 'D001', month: '2026-03', percent: '50' })),
    );
    expect(draws.map((d) => d.status).sort()).toEqual([201, 409, 409]);
    expect(draws.filter((d) => d.status === 409).every((d) => d.body.code === 'AUDIT_ALREADY_OPEN')).toBe(true);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM callback_audits WHERE report_month = '2026-03'`);
    expect(rows[0].n).toBe(1);
  });

  it('R-AUD-2 R-SET-7 a finding on a card of an already approved quarter is still recorded and published', async () => {
    const feb = await request(svc.url).get('/v1/audits?dealer=D001&month=2026-02').set(auditor).expect(200);
    const audit = await request(svc.url).get(`/v1/audits/${feb.body.items[0].id}`).set(auditor).expect(200);
    await sql.query(
      `INSERT INTO closed_months (dealer_code, month, quarter, statement_id, closed_at) VALUES ('D001', '2026-02', '2026-Q1', gen_random_uuid(), now())`,
    );
    const serial = audit.body.sample[0].serial;
    const res = await request(svc.url)
      .put(`/v1/warranty-cards/${serial}/audit`)
      .set(afterSales)
      .send({ result: 'FALSIFIED' });
    expect(res.status).toBe(200);
    const { rows } = await sql.query(
      `SELECT envelope FROM outbox_messages WHERE type = 'CallbackAuditRecorded' AND envelope->'payload'->>'serial' = $1`,
      [serial],
    );
    expect(rows.map((r) => r.envelope.payload.result)).toEqual(['FALSIFIED']);
  });

  it('§6 a complaint without amount takes complaintPenalty of the terms in force (1000.00) and is published', async () => {
    const body = {
      dealerCode: 'D001',
      reference: 'ERP-CMP-0001',
      date: '2026-02-14',
      description: '顾客投诉维修态度差',
    };
    const first = await request(svc.url).post('/v1/complaints').set(afterSales).send(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      dealerCode: 'D001',
      reference: 'ERP-CMP-0001',
      date: '2026-02-14',
      amount: '1000.00',
      amountSource: 'TERMS',
      agreementVersion: 1,
      recordedBy: 'as-bob',
    });
    const { rows } = await sql.query(`SELECT envelope FROM outbox_messages WHERE type = 'ComplaintRecorded'`);
    expect(rows.map((r) => r.envelope.payload)).toEqual([
      {
        dealerCode: 'D001',
        complaintId: first.body.id,
        reference: 'ERP-CMP-0001',
        date: '2026-02-14',
        amount: '1000.00',
        description: '顾客投诉维修态度差',
      },
    ]);
  });

  it('§6 complaints are idempotent on the reference: same content → same answer, other content → 409', async () => {
    const body = {
      dealerCode: 'D001',
      reference: 'ERP-CMP-0001',
      date: '2026-02-14',
      description: '顾客投诉维修态度差',
    };
    const replay = await request(svc.url).post('/v1/complaints').set(afterSales).send(body);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const original = await request(svc.url).get('/v1/complaints?dealer=D001').set(finance).expect(200);
    expect(replay.body).toEqual(original.body.items[0]);
    const other = await request(svc.url)
      .post('/v1/complaints')
      .set(afterSales)
      .send({ ...body, amount: '2000.00' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('REFERENCE_REUSED');
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE type = 'ComplaintRecorded'`);
    expect(rows[0].n).toBe(1);
  });

  it('§6 without an agreement the amount must be given; an auditor may not record', async () => {
    const noTerms = await request(svc.url)
      .post('/v1/complaints')
      .set(afterSales)
      .send({ dealerCode: 'D002', reference: 'ERP-CMP-0002', date: '2026-02-01', description: 'x' });
    expect(noTerms.status).toBe(422);
    expect(noTerms.body.code).toBe('NO_AGREEMENT_IN_FORCE');
    const given = await request(svc.url)
      .post('/v1/complaints')
      .set(afterSales)
      .send({ dealerCode: 'D002', reference: 'ERP-CMP-0002', date: '2026-02-01', description: 'x', amount: '300' });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ amount: '300.00', amountSource: 'GIVEN', agreementVersion: null });
    await request(svc.url)
      .post('/v1/complaints')
      .set(auditor)
      .send({ dealerCode: 'D001', reference: 'ERP-CMP-0003', date: '2026-02-01', description: 'x' })
      .expect(403);
    await request(svc.url)
      .post('/v1/violations')
      .set(auditor)
      .send({ dealerCode: 'D001', reference: 'ERP-VIO-0009', date: '2026-02-01', description: 'x' })
      .expect(403);
  });

  it("§6 a dealer sees only its own complaints: D002 cannot list or open D001's", async () => {
    const own = await request(svc.url).get('/v1/complaints?dealer=D001').set(d002).expect(200);
    expect(own.body.items.map((c: { reference: string; dealerCode: string }) => [c.reference, c.dealerCode])).toEqual([
      ['ERP-CMP-0002', 'D002'],
    ]);
    const d001List = await request(svc.url).get('/v1/complaints').set(d001).expect(200);
    const id = d001List.body.items[0].id;
    await request(svc.url).get(`/v1/complaints/${id}`).set(d002).expect(404);
    await request(svc.url).get(`/v1/complaints/${id}`).set(d001).expect(200);
    const byPeriod = await request(svc.url).get('/v1/complaints?month=2026-02&limit=1').set(auditor).expect(200);
    // Newest date first.
    expect(byPeriod.body.items.map((c: { reference: string }) => c.reference)).toEqual(['ERP-CMP-0001']);
    const page2 = await request(svc.url)
      .get(`/v1/complaints?month=2026-02&limit=1&cursor=${byPeriod.body.nextCursor}`)
      .set(auditor)
      .expect(200);
    expect(page2.body).toMatchObject({ items: [{ reference: 'ERP-CMP-0002' }], nextCursor: null });
    const outside = await request(svc.url).get('/v1/complaints?from=2026-03-01').set(auditor).expect(200);
    expect(outside.body.items).toEqual([]);
  });

  it('§6 a violation without amount takes violationPenalty (5000.00), kind defaults to UNLICENSED_TECHNICIAN, and is published', async () => {
    const res = await request(svc.url)
      .post('/v1/violations')
      .set(afterSales)
      .send({ dealerCode: 'D001', reference: 'ERP-VIO-0001', date: '2026-03-05', description: '无证维修人员' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'UNLICENSED_TECHNICIAN', amount: '5000.00', amountSource: 'TERMS' });
    const { rows } = await sql.query(`SELECT envelope FROM outbox_messages WHERE type = 'ViolationRecorded'`);
    expect(rows.map((r) => r.envelope.payload)).toEqual([
      {
        dealerCode: 'D001',
        violationId: res.body.id,
        reference: 'ERP-VIO-0001',
        date: '2026-03-05',
        kind: 'UNLICENSED_TECHNICIAN',
        amount: '5000.00',
        description: '无证维修人员',
      },
    ]);
    const list = await request(svc.url).get('/v1/violations?dealer=D001').set(d002).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('documents the audit, complaint and violation paths in the OpenAPI document', async () => {
    const spec = await request(svc.url).get('/docs-json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/audits',
        '/v1/audits/{id}',
        '/v1/audits/{id}/redraw',
        '/v1/audits/{id}/close',
        '/v1/warranty-cards/{serial}/audit',
        '/v1/complaints',
        '/v1/complaints/{id}',
        '/v1/violations',
        '/v1/violations/{id}',
      ]),
    );
  });
});
