import request from 'supertest';
import { Client } from 'pg';
import { Clock } from '@app/platform';
import { expectRefusedWithoutWrites, people, RunningService, seedDealers, useServiceUnderTest } from '@app/testing';
import { RequisitionsAppModule } from './requisitions-app.module';

jest.setTimeout(90_000);

const { afterSalesBob: afterSales, finance, d001, d404 } = people;

/** DOMAIN §9: the requisitions service refuses what settlement could not store, naming the field, and writes nothing. */
describe('requisitions: input outside the limits of the domain is refused where it is received', () => {
  let svc: RunningService;
  let sql: Client;

  useServiceUnderTest('requisitions', RequisitionsAppModule, 'int_requisition_limits', async (stack) => {
    ({ svc, sql } = stack);
    jest.spyOn(svc.app.get(Clock), 'now').mockReturnValue(new Date('2026-01-20T04:00:00Z'));
    await seedDealers(stack, [{ code: 'D001' }]);
  });

  const refused = (pending: request.Test, status: number, field: string) =>
    expectRefusedWithoutWrites(sql, pending, status, field);
  const price = { name: 'controller', listPrice: '180.00', costPrice: '120.00', effectiveFrom: '2026-01-01' };

  it('a part number with a slash', async () => {
    await refused(
      request(svc.url)
        .put(`/v1/parts/${encodeURIComponent('X../../HEALTH')}`)
        .set(afterSales)
        .send(price),
      400,
      'partNo',
    );
    await refused(
      request(svc.url)
        .post('/v1/requisitions')
        .set(d001)
        .send({ urgent: false, lines: [{ partNo: 'X../../HEALTH', quantity: 1, purpose: 'STOCK' }] }),
      400,
      'lines[0].partNo',
    );
  });

  it('money as a JSON number, with padding, or above 9,999,999,999.99; dates outside 2000-01-01 … 2099-12-31', async () => {
    const putPart = (body: Record<string, unknown>) =>
      request(svc.url).put('/v1/parts/CT-1').set(afterSales).send(body);
    await refused(putPart({ ...price, listPrice: 12345 }), 400, 'listPrice');
    await refused(putPart({ ...price, listPrice: ' 12.50' }), 400, 'listPrice');
    await refused(putPart({ ...price, costPrice: '10000000000.00' }), 400, 'costPrice');
    await refused(putPart({ ...price, effectiveFrom: '0000-01-01' }), 400, 'effectiveFrom');
    await refused(
      request(svc.url)
        .post('/v1/parts/import')
        .set(afterSales)
        .send([{ partNo: 'CT-1', ...price, listPrice: ' 12.50' }]),
      400,
      'rows[1].listPrice',
    );
    await refused(request(svc.url).get('/v1/parts?on=2100-01-01').set(finance), 400, 'on');
  });

  it('an approved line worth more than 9,999,999,999.99 is refused with the line named; at the limit it is approved', async () => {
    await request(svc.url)
      .put('/v1/parts/GOLD-1')
      .set(afterSales)
      .send({ name: 'gold', listPrice: '9999999999.99', costPrice: '1.00', effectiveFrom: '2026-01-01' })
      .expect(201);
    const filed = await request(svc.url)
      .post('/v1/requisitions')
      .set(d001)
      .send({ urgent: false, lines: [{ partNo: 'GOLD-1', quantity: 2, purpose: 'STOCK' }] })
      .expect(201);
    const res = await refused(
      request(svc.url).post(`/v1/requisitions/${filed.body.id}/approve`).set(afterSales).send({}),
      422,
      'lines[0].quantity',
    );
    expect(res.body.code).toBe('AMOUNT_OVER_LIMIT');
    const cut = await request(svc.url)
      .post(`/v1/requisitions/${filed.body.id}/approve`)
      .set(afterSales)
      .send({ lines: [{ lineId: filed.body.lines[0].lineId, quantity: 1, reason: 'one at a time' }] });
    expect(cut.status).toBe(200);
    expect(cut.body.lines[0].amount).toBe('9999999999.99');
  });

  it('a dealer the service has not heard of yet gets a retryable 409, not a client error', async () => {
    const res = await refused(
      request(svc.url)
        .post('/v1/requisitions')
        .set(d404)
        .send({ urgent: false, lines: [{ partNo: 'GOLD-1', quantity: 1, purpose: 'STOCK' }] }),
      409,
      'dealer',
    );
    expect(res.body.code).toBe('DEALER_NOT_YET_KNOWN');
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });
});
