import request from 'supertest';
import { Client } from 'pg';
import { addDays, addMonths, shanghaiDate } from '@app/kernel';
import { expectRefusedWithoutWrites, people, RunningService, seedDealers, useServiceUnderTest } from '@app/testing';
import { seedPrices } from './price-list/part-prices.test-support';
import { ReturnsAppModule } from './returns-app.module';

jest.setTimeout(90_000);

const { afterSalesWang: afterSales, finance, d001, d404 } = people;

const today = shanghaiDate(new Date());
const line = (over: Record<string, unknown> = {}) => ({
  serial: 'EB200-LIMIT-1',
  model: 'EB-200',
  reason: 'dead',
  receiptDate: addDays(today, -100),
  saleDate: addDays(today, -60),
  repairAttempted: false,
  ...over,
});

/** DOMAIN §9: the returns service refuses what settlement could not store, naming the field, and writes nothing. */
describe('returns: input outside the limits of the domain is refused where it is received', () => {
  let svc: RunningService;
  let sql: Client;

  useServiceUnderTest('returns', ReturnsAppModule, 'int_return_limits', async (stack) => {
    ({ svc, sql } = stack);
    await seedDealers(stack, [{ code: 'D001', effectiveFrom: `${addMonths(today.slice(0, 7), -24)}-01` }]);
    // The largest list price a part can have (R-RET-4 values refurbishment parts from the price list).
    await seedPrices(stack, [{ partNo: 'GOLD-1', listPrice: '9999999999.99', effectiveFrom: '2026-01-01' }]);
  });

  const refused = (pending: request.Test, status: number, field: string) =>
    expectRefusedWithoutWrites(sql, pending, status, field);

  it('model codes with a slash and dates outside 2000-01-01 … 2099-12-31 on an application', async () => {
    await refused(
      request(svc.url)
        .post('/v1/returns')
        .set(d001)
        .send({ lines: [line({ model: 'X../../HEALTH' })] }),
      400,
      'lines[0].model',
    );
    await refused(
      request(svc.url)
        .post('/v1/returns')
        .set(d001)
        .send({ lines: [line({ receiptDate: '0000-01-01', saleDate: null })] }),
      400,
      'lines[0].receiptDate',
    );
    await refused(request(svc.url).get('/v1/returns?month=2100-01').set(finance), 400, 'month');
    await refused(
      request(svc.url)
        .post('/v1/returns')
        .set(d001)
        .send({ lines: [[]] }),
      400,
      'lines',
    );
  });

  it('a line number beyond any return, a part code with a slash, amounts above 9,999,999,999.99 at closing', async () => {
    const applied = await request(svc.url)
      .post('/v1/returns')
      .set(d001)
      .send({ lines: [line()] })
      .expect(201);
    const id = applied.body.id as string;
    await request(svc.url).post(`/v1/returns/${id}/approve`).set(afterSales).send({}).expect(200);
    await refused(
      request(svc.url)
        .post(`/v1/returns/${id}/receive`)
        .set(afterSales)
        .send({ lines: [{ lineNo: 2 ** 31, countedQuantity: 1 }] }),
      400,
      'lines[0].lineNo',
    );
    await request(svc.url)
      .post(`/v1/returns/${id}/receive`)
      .set(afterSales)
      .send({ lines: [{ lineNo: 1, countedQuantity: 1 }] })
      .expect(200);
    const close = (body: Record<string, unknown>) =>
      request(svc.url)
        .post(`/v1/returns/${id}/close`)
        .set(afterSales)
        .send({ inboundFreight: '60.00', outboundFreight: '45.00', ...body });
    await refused(close({ parts: [{ lineNo: 1, partNo: 'X/../Y', quantity: 1 }] }), 400, 'parts[0].partNo');
    await refused(close({ inboundFreight: '10000000000.00' }), 400, 'inboundFreight');
    const over = await refused(close({ parts: [{ lineNo: 1, partNo: 'GOLD-1', quantity: 2 }] }), 422, 'parts');
    expect(over.body.code).toBe('INVALID_CHARGES');
    const atLimit = await close({
      inboundFreight: '0.00',
      outboundFreight: '0.00',
      parts: [{ lineNo: 1, partNo: 'GOLD-1', quantity: 1 }],
    });
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.dealerTotal).toBe('9999999999.99');
  });

  it('a dealer the service has not heard of yet gets a retryable 409, for an application and for goods received', async () => {
    const apply = await refused(
      request(svc.url)
        .post('/v1/returns')
        .set(d404)
        .send({ lines: [line()] }),
      409,
      'dealer',
    );
    expect(apply.body.code).toBe('DEALER_NOT_YET_KNOWN');
    expect(apply.headers['retry-after']).toMatch(/^\d+$/);
    await refused(
      request(svc.url)
        .post('/v1/returns/unsolicited-receipts')
        .set(afterSales)
        .send({ dealerCode: 'D404', items: [{ serial: 'EB200-X9', model: 'EB-200', quantity: 1 }] }),
      409,
      'dealerCode',
    );
  });
});
