import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { addDays, addMonths, shanghaiDate } from '@app/kernel';
import { eventually, KafkaProbe, people, RunningService, seedDealers, useServiceUnderTest } from '@app/testing';
import { seedPrices } from './price-list/part-prices.test-support';
import { ReturnsAppModule } from './returns-app.module';

jest.setTimeout(90_000);

const { afterSalesWang: afterSales, finance, auditor, d001, d002 } = people;

const today = shanghaiDate(new Date());
const daysAgo = (n: number) => addDays(today, -n);

let serialSeq = 0;
function line(overrides: Record<string, unknown> = {}) {
  serialSeq += 1;
  return {
    serial: `EB200-${String(serialSeq).padStart(6, '0')}`,
    model: 'EB-200',
    reason: 'controller dead after fuse replaced',
    receiptDate: daysAgo(100),
    saleDate: daysAgo(60),
    repairAttempted: false,
    transportDamage: false,
    ...overrides,
  };
}

describe('returns service on PostgreSQL with its migrations and the broker', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  const apply = (lines: Record<string, unknown>[], who = d001) =>
    request(svc.url).post('/v1/returns').set(who).send({ lines });
  /** Receives line 1 of a one-line return, counted 1. */
  const receiveLineOne = (id: string) =>
    request(svc.url)
      .post(`/v1/returns/${id}/receive`)
      .set(afterSales)
      .send({ lines: [{ lineNo: 1, countedQuantity: 1 }] });
  const refuseGoods = (body: Record<string, unknown>) =>
    request(svc.url).post('/v1/returns/unsolicited-receipts').set(afterSales).send(body);
  const close = (id: string, body: Record<string, unknown>) =>
    request(svc.url).post(`/v1/returns/${id}/close`).set(afterSales).send(body);
  const count = async (table: string) =>
    (await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  useServiceUnderTest('returns', ReturnsAppModule, 'int_returns', async (stack) => {
    ({ svc, sql, probe } = stack);
    const effectiveFrom = `${addMonths(today.slice(0, 7), -24)}-01`;
    await seedDealers(
      stack,
      ['D001', 'D002'].map((code) => ({ code, effectiveFrom })),
    );
    // R-RET-4: refurbishment parts are valued from the price list the requisitions service publishes.
    await seedPrices(stack, [{ partNo: 'CTRL-48V', listPrice: '180.00', effectiveFrom }]);
  });

  it('refuses bad input with a problem naming each field, and writes nothing', async () => {
    const res = await apply([
      line({ receiptDate: '2026-02-30' }),
      line({ quantity: 0, saleDate: 'yesterday' }),
      line({ serial: undefined, repairAttempted: 'yes' }),
    ]);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`).sort()).toEqual([
      'lines[0].receiptDate:calendarDate',
      'lines[1].quantity:min',
      'lines[1].saleDate:calendarDate',
      'lines[2].repairAttempted:isBoolean',
      'lines[2].serial:isString',
      'lines[2].serial:matches',
    ]);
    const future = await apply([
      line({ receiptDate: addDays(today, 1), saleDate: null }),
      line({ saleDate: daysAgo(101) }),
    ]);
    expect(future.status).toBe(400);
    expect(future.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'lines[0].receiptDate',
      'lines[1].saleDate',
    ]);
    expect(await count('return_applications')).toBe(0);
    expect(await count('return_lines')).toBe(0);
  });

  it('R-RET-1 the dealer applies for itself with a detailed list; GET shows each line classified with its reason before approval', async () => {
    const res = await apply([
      line({ receiptDate: daysAgo(7), saleDate: null, repairAttempted: true }),
      line({ receiptDate: daysAgo(8), saleDate: null, repairAttempted: true }),
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      dealerCode: 'D001',
      status: 'APPLIED',
      applicationDate: today,
      termsVersion: 1,
      lineCount: 2,
    });
    const got = await request(svc.url).get(`/v1/returns/${res.body.id}`).set(d001).expect(200);
    expect(
      got.body.lines.map((l: { classification: { computedClass: string } }) => l.classification.computedClass),
    ).toEqual(['DOA', 'IN_WARRANTY']);
    expect(got.body.lines[0].classification.reason).toMatch(
      /DOA: applied 7 day\(s\) after the dealer's receipt \(≤ 7\)/,
    );
    expect(got.body.lines[1].classification.reason).toMatch(/not DOA: applied 8 day\(s\)/);
    const { rows } = await sql.query(`SELECT actor, action FROM audit_log WHERE entity_id = $1`, [res.body.id]);
    expect(rows).toEqual([{ actor: 'dealer-D001', action: 'return.applied' }]);
  });

  it("R-RET-1 a dealer reaches only its own returns: D002 gets 404 on D001's return and sees none of them in its list", async () => {
    const mine = await apply([line()]);
    await request(svc.url).get(`/v1/returns/${mine.body.id}`).set(d002).expect(404);
    await request(svc.url).get('/v1/returns/not-a-uuid').set(d001).expect(404);
    const list = await request(svc.url).get('/v1/returns?dealer=D001').set(d002).expect(200);
    expect(list.body.items).toEqual([]);
    const all = await request(svc.url)
      .get(`/v1/returns?dealer=D001&status=APPLIED&month=${today.slice(0, 7)}&limit=1`)
      .set(auditor)
      .expect(200);
    expect(all.body.items).toHaveLength(1);
    const next = await request(svc.url)
      .get(`/v1/returns?dealer=D001&limit=1&cursor=${all.body.nextCursor}`)
      .set(finance)
      .expect(200);
    expect(next.body.items[0].id).not.toBe(all.body.items[0].id);
  });

  it('an auditor reads but gets 403 on every POST; an after-sales user cannot apply for a dealer', async () => {
    const mine = await apply([line()]);
    await request(svc.url).get(`/v1/returns/${mine.body.id}`).set(auditor).expect(200);
    for (const path of [
      '/v1/returns',
      `/v1/returns/${mine.body.id}/approve`,
      `/v1/returns/${mine.body.id}/close`,
      '/v1/batch-defects',
      '/v1/returns/unsolicited-receipts',
    ]) {
      await request(svc.url).post(path).set(auditor).send({}).expect(403);
    }
    await request(svc.url)
      .post('/v1/returns')
      .set(afterSales)
      .send({ lines: [line()] })
      .expect(403);
    await request(svc.url).post(`/v1/returns/${mine.body.id}/approve`).set(d001).send({}).expect(403);
  });

  it('R-RET-2 an approver may only pick a class the dates allow; nothing changes on refusal', async () => {
    const res = await apply([line({ receiptDate: daysAgo(8), saleDate: null, repairAttempted: true })]);
    const doa = await request(svc.url)
      .post(`/v1/returns/${res.body.id}/approve`)
      .set(afterSales)
      .send({ lines: [{ lineNo: 1, returnClass: 'DOA' }] });
    expect(doa.status).toBe(422);
    expect(doa.body).toMatchObject({
      code: 'CLASS_NOT_ALLOWED',
      errors: [{ field: 'lines[0].returnClass', rule: 'R-RET-2' }],
    });
    expect(doa.body.errors[0].message).toMatch(/cannot be DOA; its dates allow IN_WARRANTY/);
    const batch = await request(svc.url)
      .post(`/v1/returns/${res.body.id}/approve`)
      .set(afterSales)
      .send({ returnClass: 'BATCH_DEFECT' });
    expect(batch.body).toMatchObject({ status: 422, errors: [{ field: 'returnClass' }] });
    const unknownLine = await request(svc.url)
      .post(`/v1/returns/${res.body.id}/approve`)
      .set(afterSales)
      .send({ lines: [{ lineNo: 2, returnClass: 'IN_WARRANTY' }] });
    expect(unknownLine.status).toBe(400);
    const { rows } = await sql.query(`SELECT status FROM return_applications WHERE id = $1`, [res.body.id]);
    expect(rows[0].status).toBe('APPLIED');
    const ok = await request(svc.url).post(`/v1/returns/${res.body.id}/approve`).set(afterSales).send({});
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'APPROVED',
      decidedBy: 'as-wang',
      lines: [{ returnClass: 'IN_WARRANTY' }],
    });
    expect(ok.body.lines[0].classReason).toMatch(/IN_WARRANTY approved by as-wang/);
  });

  it('R-RET-2 BATCH_DEFECT becomes allowed once after-sales declares the batch', async () => {
    const inBatch = line({ serial: 'EB200-B00150', receiptDate: daysAgo(800), saleDate: daysAgo(700) });
    const res = await apply([inBatch]);
    expect(res.body.lines[0].classification).toMatchObject({
      computedClass: 'OUT_OF_WARRANTY',
      allowedClasses: ['OUT_OF_WARRANTY'],
    });
    const bad = await request(svc.url)
      .post('/v1/batch-defects')
      .set(afterSales)
      .send({ model: 'EB-200', serialFrom: 'EB200-B00199', serialTo: 'EB200-B00100', reason: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('serialTo');
    const declared = await request(svc.url)
      .post('/v1/batch-defects')
      .set(afterSales)
      .send({ model: 'EB-200', serialFrom: 'EB200-B00100', serialTo: 'EB200-B00199', reason: 'controller lot 7' });
    expect(declared.status).toBe(201);
    const got = await request(svc.url).get(`/v1/returns/${res.body.id}`).set(d001).expect(200);
    expect(got.body.lines[0].classification).toMatchObject({
      computedClass: 'BATCH_DEFECT',
      allowedClasses: ['BATCH_DEFECT', 'OUT_OF_WARRANTY'],
      batchDefectId: declared.body.id,
    });
    const ok = await request(svc.url)
      .post(`/v1/returns/${res.body.id}/approve`)
      .set(afterSales)
      .send({ lines: [{ lineNo: 1, returnClass: 'BATCH_DEFECT' }] });
    expect(ok.body.lines[0].returnClass).toBe('BATCH_DEFECT');
    await receiveLineOne(res.body.id).expect(200);
    const closed = await close(res.body.id, {
      inboundFreight: '30.00',
      outboundFreight: '30.00',
      parts: [{ lineNo: 1, partNo: 'CTRL-48V', quantity: 1 }],
    });
    expect(closed.body).toMatchObject({
      status: 'CLOSED',
      returnClass: 'BATCH_DEFECT',
      dealerTotal: '0.00',
      manufacturerTotal: '240.00',
    });
  });

  it("R-RET-1 goods of an application not approved are not received (409) and are recorded as refused, the loss the dealer's", async () => {
    const res = await apply([line()]);
    const early = await receiveLineOne(res.body.id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('NO_APPROVED_APPLICATION');
    expect(
      (await sql.query(`SELECT counted_quantity FROM return_lines WHERE return_id = $1`, [res.body.id])).rows[0]
        .counted_quantity,
    ).toBeNull();
    const refused = await refuseGoods({
      dealerCode: 'D001',
      returnId: res.body.id,
      items: [{ serial: 'EB200-X1', model: 'EB-200', quantity: 1 }],
    });
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({
      code: 'NO_APPROVED_APPLICATION',
      reason: expect.stringMatching(/loss is the dealer's/),
    });
    const none = await refuseGoods({
      dealerCode: 'D001',
      items: [{ serial: 'EB200-X2', model: 'EB-200', quantity: 2 }],
      note: 'no paperwork',
    });
    expect(none.status).toBe(201);
    const wrongDealer = await refuseGoods({
      dealerCode: 'D002',
      returnId: res.body.id,
      items: [{ serial: 'EB200-X3', model: 'EB-200', quantity: 1 }],
    });
    expect(wrongDealer.status).toBe(400);
    expect(wrongDealer.body.errors[0].field).toBe('returnId');
    const mine = await request(svc.url).get('/v1/returns/unsolicited-receipts').set(d001).expect(200);
    expect(mine.body.items).toHaveLength(2);
    const theirs = await request(svc.url).get('/v1/returns/unsolicited-receipts').set(d002).expect(200);
    expect(theirs.body.items).toHaveLength(0);
  });

  it('a rejected return keeps its reason and can no longer be approved', async () => {
    const res = await apply([line()]);
    const rejected = await request(svc.url)
      .post(`/v1/returns/${res.body.id}/reject`)
      .set(afterSales)
      .send({ reason: 'serial not shipped to D001' });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'serial not shipped to D001' });
    const again = await request(svc.url).post(`/v1/returns/${res.body.id}/approve`).set(afterSales).send({});
    expect(again.status).toBe(409);
    const empty = await request(svc.url).post(`/v1/returns/${res.body.id}/reject`).set(afterSales).send({ reason: '' });
    expect(empty.status).toBe(400);
  });

  it("R-RET-3 and R-RET-4: the manufacturer's count is charged, refused lines are not; the worked example's IN_WARRANTY return costs 240.00", async () => {
    const res = await apply([line({ quantity: 1 }), line({ quantity: 1 })]);
    await request(svc.url).post(`/v1/returns/${res.body.id}/approve`).set(afterSales).send({}).expect(200);
    const badCount = await request(svc.url)
      .post(`/v1/returns/${res.body.id}/receive`)
      .set(afterSales)
      .send({
        lines: [
          { lineNo: 1, countedQuantity: -1 },
          { lineNo: 2, countedQuantity: 1.5 },
        ],
      });
    expect(badCount.status).toBe(400);
    expect(badCount.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'lines[0].countedQuantity',
      'lines[1].countedQuantity',
    ]);
    const missing = await receiveLineOne(res.body.id);
    expect(missing.status).toBe(400);
    const received = await request(svc.url)
      .post(`/v1/returns/${res.body.id}/receive`)
      .set(afterSales)
      .send({
        lines: [
          { lineNo: 1, countedQuantity: 1 },
          { lineNo: 2, countedQuantity: 1, refusedFor: 'MISSING_PARTS', refusalNote: 'battery missing' },
        ],
      });
    expect(received.status).toBe(200);
    expect(received.body.lines.map((l: { chargedQuantity: number }) => l.chargedQuantity)).toEqual([1, 0]);

    const chargesBefore = await count('return_charges');
    const badAmount = await close(res.body.id, { inboundFreight: '60.0', outboundFreight: '-1.00' });
    expect(badAmount.status).toBe(400);
    expect(badAmount.body.errors.map((e: { field: string }) => e.field)).toEqual(['inboundFreight', 'outboundFreight']);
    const partOnRefused = await close(res.body.id, {
      inboundFreight: '60.00',
      outboundFreight: '45.00',
      parts: [{ lineNo: 2, partNo: 'CTRL-48V', quantity: 1 }],
    });
    expect(partOnRefused.status).toBe(422);
    expect(partOnRefused.body.errors[0]).toMatchObject({ field: 'parts[0].lineNo', rule: 'R-RET-3' });
    expect(await count('return_charges')).toBe(chargesBefore);
    expect(await count('return_parts')).toBe(1);

    const closed = await close(res.body.id, {
      carrierBillNo: 'SF0001',
      inboundFreight: '60.00',
      outboundFreight: '45.00',
      parts: [{ lineNo: 1, partNo: 'CTRL-48V', quantity: 1 }],
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'CLOSED',
      returnClass: 'IN_WARRANTY',
      dealerTotal: '240.00',
      manufacturerTotal: '45.00',
      closedOn: today,
    });
    expect(
      closed.body.charges.map((c: { kind: string; payer: string; amount: string; lineNos: number[] }) => [
        c.kind,
        c.payer,
        c.amount,
        c.lineNos,
      ]),
    ).toEqual([
      ['INBOUND_FREIGHT', 'DEALER_ALLOWANCE', '60.00', [1]],
      ['OUTBOUND_FREIGHT', 'MANUFACTURER', '45.00', [1]],
      ['REFURBISHMENT_PARTS', 'DEALER_ALLOWANCE', '180.00', [1]],
    ]);
    const { rows } = await sql.query(
      `SELECT message_key, envelope FROM outbox_messages WHERE type = 'ReturnClosed' AND envelope->'payload'->>'returnId' = $1`,
      [res.body.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].message_key).toBe('D001');
    expect(rows[0].envelope.payload).toMatchObject({
      dealerCode: 'D001',
      returnClass: 'IN_WARRANTY',
      closedOn: today,
      charges: [
        { ruleId: 'R-RET-4', kind: 'INBOUND_FREIGHT', payer: 'DEALER_ALLOWANCE', amount: '60.00' },
        { ruleId: 'R-RET-4', kind: 'OUTBOUND_FREIGHT', payer: 'MANUFACTURER', amount: '45.00' },
        { ruleId: 'R-RET-4', kind: 'REFURBISHMENT_PARTS', payer: 'DEALER_ALLOWANCE', amount: '180.00' },
      ],
    });
    const twice = await close(res.body.id, { inboundFreight: '1.00', outboundFreight: '1.00' });
    expect(twice.status).toBe(409);
  });

  it("R-RET-4 the worked example's DOA return costs the dealer 0.00, and ReturnClosed reaches the broker", async () => {
    const events = await probe.collect(Topics.returns);
    const res = await apply([line({ receiptDate: daysAgo(3), saleDate: null, repairAttempted: true })]);
    await request(svc.url).post(`/v1/returns/${res.body.id}/approve`).set(afterSales).send({}).expect(200);
    await receiveLineOne(res.body.id).expect(200);
    const closed = await close(res.body.id, { inboundFreight: '60.00', outboundFreight: '60.00' });
    expect(closed.body).toMatchObject({ returnClass: 'DOA', dealerTotal: '0.00', manufacturerTotal: '120.00' });
    const message = await eventually(async () => events.find((m) => m.value?.includes(res.body.id)), 60_000);
    const env = JSON.parse(message.value!);
    expect(env).toMatchObject({ type: 'ReturnClosed', version: 1, producer: 'returns', dealerCode: 'D001' });
    expect(
      env.payload.charges.every(
        (c: { payer: string; ruleId: string }) => c.payer === 'MANUFACTURER' && c.ruleId === 'R-RET-4',
      ),
    ).toBe(true);
  });
});
