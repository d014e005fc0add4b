import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { eventually, KafkaProbe, people, RunningService, ServiceUnderTest, startServiceUnderTest } from '@app/testing';
import { RequisitionsAppModule } from '../requisitions-app.module';

jest.setTimeout(90_000);

const { afterSalesBob: afterSales } = people;
const CSV_HEADER = 'partNo,name,listPrice,costPrice,effectiveFrom';

interface OutboxPrice {
  message_key: string;
  payload: Record<string, string>;
}

describe('requisitions publishes its price list (PartPriceSet, read by returns for R-RET-4 §9)', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  /** The PartPriceSet events in the outbox, by part and date. */
  const outboxPrices = async (): Promise<OutboxPrice[]> =>
    (
      await sql.query(
        `SELECT message_key, envelope->'payload' AS payload FROM outbox_messages WHERE type = 'PartPriceSet'
         ORDER BY envelope->'payload'->>'partNo', envelope->'payload'->>'effectiveFrom'`,
      )
    ).rows;
  const put = (partNo: string, body: Record<string, unknown>) =>
    request(svc.url).put(`/v1/parts/${partNo}`).set(afterSales).send(body);
  const importCsv = (rows: string[]) =>
    request(svc.url)
      .post('/v1/parts/import')
      .set(afterSales)
      .set('content-type', 'text/csv')
      .send([CSV_HEADER, ...rows].join('\r\n'));

  beforeAll(async () => {
    stack = await startServiceUnderTest('requisitions', (c) => RequisitionsAppModule.register(c), 'int_req_prices');
    ({ svc, sql, probe } = stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('R-RET-4 §9 PUT /v1/parts/:partNo writes one PartPriceSet with the stored version; a replay or a refused change writes none', async () => {
    const body = { name: '控制器', listPrice: '180', costPrice: '120.5', effectiveFrom: '2026-01-01' };
    expect((await put('CT-09', body)).status).toBe(201);
    const stored = {
      message_key: 'CT-09',
      payload: {
        partNo: 'CT-09',
        name: '控制器',
        listPrice: '180.00',
        costPrice: '120.50',
        effectiveFrom: '2026-01-01',
      },
    };
    expect(await outboxPrices()).toEqual([stored]);
    expect((await put('CT-09', body)).status).toBe(200);
    expect((await put('CT-09', { ...body, listPrice: '181.00' })).status).toBe(409);
    expect((await put('CT-09', { ...body, listPrice: 'abc' })).status).toBe(400);
    expect(await outboxPrices()).toEqual([stored]);
    expect((await put('CT-09', { ...body, listPrice: '190.00', effectiveFrom: '2026-03-01' })).status).toBe(201);
    expect((await outboxPrices()).map((p) => [p.payload.effectiveFrom, p.payload.listPrice])).toEqual([
      ['2026-01-01', '180.00'],
      ['2026-03-01', '190.00'],
    ]);
  });

  it('R-RET-4 §9 an import writes one PartPriceSet per new version (JSON, CSV, multipart); unchanged rows and a refused import write none', async () => {
    const json = await request(svc.url)
      .post('/v1/parts/import')
      .set(afterSales)
      .send([{ partNo: 'BP-01', name: '刹车片', listPrice: '12.50', costPrice: '8.00', effectiveFrom: '2026-01-01' }]);
    expect(json.body).toEqual({ received: 1, created: 1, unchanged: 0 });
    const csv = await importCsv(['BP-01,刹车片,12.50,8.00,2026-01-01', 'LT-1,"lamp, front",25.00,15.00,2026-02-01']);
    expect(csv.body).toEqual({ received: 2, created: 1, unchanged: 1 });
    const file = await request(svc.url)
      .post('/v1/parts/import')
      .set(afterSales)
      .attach('file', Buffer.from(`${CSV_HEADER}\nSD-1,saddle,40.00,22.00,2026-01-01\n`), {
        filename: 'prices.csv',
        contentType: 'text/csv',
      });
    expect(file.body.created).toBe(1);
    const before = await outboxPrices();
    // A row rewriting a stored version refuses the whole import: the new row beside it is not published either.
    const conflict = await importCsv(['MT-01,motor,707.50,500.00,2026-01-01', 'BP-01,刹车片,13.00,8.00,2026-01-01']);
    expect(conflict.status).toBe(409);
    expect((await importCsv(['MT-01,motor,abc,500.00,2026-01-01'])).status).toBe(400);
    expect(await outboxPrices()).toEqual(before);
    expect(before.filter((p) => p.payload.partNo !== 'CT-09')).toEqual([
      {
        message_key: 'BP-01',
        payload: {
          partNo: 'BP-01',
          name: '刹车片',
          listPrice: '12.50',
          costPrice: '8.00',
          effectiveFrom: '2026-01-01',
        },
      },
      {
        message_key: 'LT-1',
        payload: {
          partNo: 'LT-1',
          name: 'lamp, front',
          listPrice: '25.00',
          costPrice: '15.00',
          effectiveFrom: '2026-02-01',
        },
      },
      {
        message_key: 'SD-1',
        payload: {
          partNo: 'SD-1',
          name: 'saddle',
          listPrice: '40.00',
          costPrice: '22.00',
          effectiveFrom: '2026-01-01',
        },
      },
    ]);
  });

  it('R-RET-4 §9 the relay sends each PartPriceSet to the requisitions topic, keyed by part number', async () => {
    const seen = await probe.collect(Topics.requisitions);
    const prices = await eventually(async () => {
      const found = seen.filter((m) => m.headers['event-type'] === 'PartPriceSet');
      return found.length >= 5 ? found : undefined;
    }, 60_000);
    expect(prices.map((m) => m.key).sort()).toEqual(['BP-01', 'CT-09', 'CT-09', 'LT-1', 'SD-1']);
    const envelope = JSON.parse(prices.find((m) => m.key === 'SD-1')!.value!);
    expect(envelope).toMatchObject({ type: 'PartPriceSet', version: 1, producer: 'requisitions', dealerCode: 'SD-1' });
  });
});
