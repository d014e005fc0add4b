import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { addDays, addMonths, shanghaiDate } from '@app/kernel';
import {
  eventually,
  expectRefusedWithoutWrites,
  people,
  seedDealers,
  startServiceUnderTest,
  testEnvelope,
} from '@app/testing';
import type { KafkaProbe, RunningService, ServiceUnderTest } from '@app/testing';
import { ReturnsAppModule } from '../returns-app.module';
import { publishPrices, seedPrices } from './part-prices.test-support';

jest.setTimeout(90_000);

const { afterSalesWang: afterSales, finance, d001 } = people;
const today = shanghaiDate(new Date());
const daysAgo = (n: number) => addDays(today, -n);

describe('returns learns the price list from PartPriceSet events and values refurbishment parts with it (R-RET-4 §9)', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  let serial = 0;

  /** An IN_WARRANTY return of one line, approved and received, ready to close. */
  async function receivedReturn(): Promise<string> {
    serial += 1;
    const applied = await request(svc.url)
      .post('/v1/returns')
      .set(d001)
      .send({
        lines: [
          {
            serial: `EB200-P${String(serial).padStart(5, '0')}`,
            model: 'EB-200',
            reason: 'controller dead',
            receiptDate: daysAgo(100),
            saleDate: daysAgo(60),
            repairAttempted: false,
          },
        ],
      })
      .expect(201);
    const id = applied.body.id as string;
    await request(svc.url).post(`/v1/returns/${id}/approve`).set(afterSales).send({}).expect(200);
    await request(svc.url)
      .post(`/v1/returns/${id}/receive`)
      .set(afterSales)
      .send({ lines: [{ lineNo: 1, countedQuantity: 1 }] })
      .expect(200);
    return id;
  }
  const close = (id: string, parts: Record<string, unknown>[]) =>
    request(svc.url)
      .post(`/v1/returns/${id}/close`)
      .set(afterSales)
      .send({ inboundFreight: '60.00', outboundFreight: '45.00', parts });
  const priceRows = async (partNo: string) =>
    (
      await sql.query(
        `SELECT effective_from::text AS "effectiveFrom", list_price AS "listPrice" FROM part_prices WHERE part_no = $1 ORDER BY effective_from`,
        [partNo],
      )
    ).rows;

  beforeAll(async () => {
    stack = await startServiceUnderTest('returns', (c) => ReturnsAppModule.register(c), 'int_return_prices');
    ({ svc, sql, probe } = stack);
    const effectiveFrom = `${addMonths(today.slice(0, 7), -24)}-01`;
    await seedDealers(stack, [{ code: 'D001', effectiveFrom }]);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('R-RET-4 §9 the price list arrives through the inbox from PartPriceSet events; applying one again changes nothing', async () => {
    const versions = [
      { partNo: 'CTRL-48V', listPrice: '180.00', effectiveFrom: daysAgo(40), costPrice: '120.00', name: '控制器' },
      { partNo: 'CTRL-48V', listPrice: '195.50', effectiveFrom: daysAgo(10), costPrice: '130.00', name: '控制器' },
      {
        partNo: 'CTRL-48V',
        listPrice: '210.00',
        effectiveFrom: addDays(today, 5),
        costPrice: '140.00',
        name: '控制器',
      },
    ];
    await seedPrices(stack!, versions);
    const known = await request(svc.url).get('/v1/part-prices/CTRL-48V').set(finance).expect(200);
    expect(known.body).toMatchObject({
      partNo: 'CTRL-48V',
      on: today,
      priceInForce: { listPrice: '195.50', costPrice: '130.00', name: '控制器', effectiveFrom: daysAgo(10) },
    });
    expect(known.body.versions.map((v: { listPrice: string }) => v.listPrice)).toEqual(['180.00', '195.50', '210.00']);
    const earlier = await request(svc.url)
      .get(`/v1/part-prices/CTRL-48V?on=${daysAgo(20)}`)
      .set(d001)
      .expect(200);
    expect(earlier.body.priceInForce.listPrice).toBe('180.00');
    await request(svc.url).get('/v1/part-prices/NOPE-1').set(finance).expect(404);
    await request(svc.url).get('/v1/part-prices/A..%2F..').set(finance).expect(400);

    // The same envelope twice (a redelivery) and the same version in a new event (a replay from the feed).
    const envelope = testEnvelope('PartPriceSet', 'CTRL-48V', { ...versions[0] }, { producer: 'requisitions' });
    await probe.publish(Topics.requisitions, 'CTRL-48V', JSON.stringify(envelope));
    await probe.publish(Topics.requisitions, 'CTRL-48V', JSON.stringify(envelope));
    await publishPrices(probe, [versions[1]]);
    // A version that breaks the contract is dead-lettered, never stored. Same key, same partition: once it is
    // recorded, every event before it has been handled.
    const bad = testEnvelope(
      'PartPriceSet',
      'CTRL-48V',
      { ...versions[0], listPrice: '999', effectiveFrom: daysAgo(1) },
      { producer: 'requisitions' },
    );
    await probe.publish(Topics.requisitions, 'CTRL-48V', JSON.stringify(bad));
    const outcome = await eventually(async () => {
      const { rows } = await sql.query(`SELECT outcome FROM inbox_processed_events WHERE event_id = $1`, [bad.eventId]);
      return rows[0]?.outcome as string | undefined;
    }, 60_000);
    expect(outcome).toBe('dead-lettered');
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM inbox_processed_events WHERE event_id = $1`, [
      envelope.eventId,
    ]);
    expect(rows[0].n).toBe(1);
    expect(await priceRows('CTRL-48V')).toEqual(
      versions.map((v) => ({ effectiveFrom: v.effectiveFrom, listPrice: v.listPrice })),
    );
  });

  it('R-RET-4 §9 refurbishment parts are valued at the list price in force on the closing date', async () => {
    const id = await receivedReturn();
    const closed = await close(id, [{ lineNo: 1, partNo: 'CTRL-48V', quantity: 2 }]);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'CLOSED', closedOn: today, dealerTotal: '451.00' });
    expect(closed.body.parts).toEqual([{ lineNo: 1, partNo: 'CTRL-48V', quantity: 2, listPrice: '195.50' }]);
    const parts = closed.body.charges.find((c: { kind: string }) => c.kind === 'REFURBISHMENT_PARTS');
    expect(parts).toMatchObject({ payer: 'DEALER_ALLOWANCE', amount: '391.00' });
    expect(parts.detail).toMatch(/2 × CTRL-48V at 195.50/);
    const { rows } = await sql.query(
      `SELECT envelope->'payload' AS payload FROM outbox_messages WHERE type = 'ReturnClosed' AND envelope->'payload'->>'returnId' = $1`,
      [id],
    );
    expect(rows[0].payload.charges).toContainEqual(
      expect.objectContaining({ kind: 'REFURBISHMENT_PARTS', payer: 'DEALER_ALLOWANCE', amount: '391.00' }),
    );
  });

  it('R-RET-4 §9 a part without a list price in force on the closing date is refused with 422 naming the part, and nothing is written', async () => {
    await seedPrices(stack!, [{ partNo: 'PAD-9', listPrice: '12.50', effectiveFrom: addDays(today, 1) }]);
    const id = await receivedReturn();
    const refused = await expectRefusedWithoutWrites(
      sql,
      close(id, [
        { lineNo: 1, partNo: 'CTRL-48V', quantity: 1 },
        { lineNo: 1, partNo: 'PAD-9', quantity: 4 },
        { lineNo: 1, partNo: 'NOPE-1', quantity: 1 },
      ]),
      422,
      'parts[1].partNo',
    );
    expect(refused.body).toMatchObject({ code: 'NO_LIST_PRICE', type: expect.stringMatching(/no-list-price$/) });
    expect(refused.body.errors).toEqual([
      {
        field: 'parts[1].partNo',
        rule: 'listPrice',
        message: `PAD-9 has no list price in force on the closing date ${today} (its first price applies from ${addDays(today, 1)})`,
      },
      {
        field: 'parts[2].partNo',
        rule: 'listPrice',
        message: `NOPE-1 is not on the price list; it has no list price on the closing date ${today}`,
      },
    ]);
    const got = await request(svc.url).get(`/v1/returns/${id}`).set(afterSales).expect(200);
    expect(got.body).toMatchObject({ status: 'RECEIVED', parts: [], charges: [] });
    // Once the requisitions service publishes a price in force, the same closing goes through.
    await seedPrices(stack!, [{ partNo: 'PAD-9', listPrice: '11.00', effectiveFrom: today }]);
    const closed = await close(id, [{ lineNo: 1, partNo: 'PAD-9', quantity: 4 }]);
    expect(closed.status).toBe(200);
    expect(closed.body.parts[0].listPrice).toBe('11.00');
  });

  it('R-RET-4 §9 a price typed on the close request is refused as an unknown property, and nothing is written', async () => {
    const id = await receivedReturn();
    const typed = await expectRefusedWithoutWrites(
      sql,
      close(id, [{ lineNo: 1, partNo: 'CTRL-48V', quantity: 1, listPrice: '1.00' }]),
      400,
      'parts[0].listPrice',
    );
    expect(typed.body.errors).toEqual([expect.objectContaining({ field: 'parts[0].listPrice', rule: 'forbidden' })]);
  });

  it('R-RET-4 §9 OpenAPI: the close request carries no price, and the 422 naming the part is documented', async () => {
    const doc = (await request(svc.url).get('/docs-json').expect(200)).body;
    const part = doc.components.schemas.RefurbishmentPartInput;
    expect(Object.keys(part.properties).sort()).toEqual(['lineNo', 'partNo', 'quantity']);
    const op = doc.paths['/v1/returns/{id}/close'].post;
    expect(op.responses['422'].description).toMatch(/no-list-price/);
    expect(op.responses['422'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/ProblemDetails',
    );
    expect(doc.paths['/v1/part-prices/{partNo}'].get).toBeDefined();
  });
});
