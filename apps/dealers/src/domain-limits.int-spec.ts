import request from 'supertest';
import { Client } from 'pg';
import { Clock } from '@app/platform';
import { people, expectRefusedWithoutWrites, RunningService, ServiceUnderTest } from '@app/testing';
import { startDealersService } from './dealers.test-support';

jest.setTimeout(60_000);

const { financeAlice: finance, afterSalesBob: afterSales, d001User: d001 } = people;

/** DOMAIN §9: the dealers service refuses what settlement could not store, naming the field, and writes nothing. */
describe('dealers: input outside the limits of the domain is refused where it is received', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;

  beforeAll(async () => {
    stack = await startDealersService('int_dealer_limits');
    ({ svc, sql } = stack);
    jest.spyOn(svc.app.get(Clock, { strict: false }), 'now').mockImplementation(() => new Date('2026-02-02T04:00:00Z'));
    await request(svc.url).post('/v1/dealers').set(finance).send({ code: 'D001', name: 'Dealer D001' }).expect(201);
    await request(svc.url).put('/v1/product-models/EB-100').set(finance).send({ name: 'EB-100' }).expect(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** Sends the request and expects a 400 naming `field`, with no row written anywhere. */
  const refused = (pending: request.Test, field: string) => expectRefusedWithoutWrites(sql, pending, 400, field);
  const line = { outlet: 'D001', model: 'EB-100', units: 3, amount: '5997.00' };

  it('a report month before 2000-01 or after 2099-12', async () => {
    await refused(
      request(svc.url)
        .put('/v1/dealers/D001/reports/0000-01')
        .set(d001)
        .send({ sales: { lines: [] } }),
      'month',
    );
    await refused(
      request(svc.url).put('/v1/dealers/D001/reports/2100-01/sales').set(d001).send({ lines: [] }),
      'month',
    );
  });

  it('units above 1,000,000 on a sales line and amounts above 9,999,999,999.99', async () => {
    await refused(
      request(svc.url)
        .put('/v1/dealers/D001/reports/2026-01')
        .set(d001)
        .send({ sales: { lines: [{ ...line, units: 2 ** 31 }] } }),
      'sales.lines[0].units',
    );
    await refused(
      request(svc.url)
        .put('/v1/dealers/D001/reports/2026-01/sales')
        .set(d001)
        .send({ lines: [{ ...line, amount: '10000000000.00' }] }),
      'lines[0].amount',
    );
    const atLimit = await request(svc.url)
      .put('/v1/dealers/D001/reports/2026-01/sales')
      .set(d001)
      .send({ lines: [{ ...line, units: 1_000_000, amount: '9999999999.99' }] });
    expect(atLimit.status).toBe(200);
  });

  it('a part that is null or an array instead of an object', async () => {
    await refused(request(svc.url).put('/v1/dealers/D001/reports/2026-01').set(d001).send({ sales: null }), 'sales');
    await refused(request(svc.url).put('/v1/dealers/D001/reports/2026-01').set(d001).send({ sales: [] }), 'sales');
    await refused(
      request(svc.url)
        .put('/v1/dealers/D001/reports/2026-01')
        .set(d001)
        .send({ satisfaction: [{ surveyed: 1, satisfied: 1 }] }),
      'satisfaction',
    );
  });

  it('a model code with a slash, in the catalogue and on report lines', async () => {
    await refused(
      request(svc.url)
        .put(`/v1/product-models/${encodeURIComponent('X../../HEALTH')}`)
        .set(finance)
        .send({ name: 'x' }),
      'model',
    );
    await refused(
      request(svc.url)
        .put('/v1/dealers/D001/reports/2026-01/sales')
        .set(d001)
        .send({ lines: [{ ...line, model: 'X../../HEALTH' }] }),
      'lines[0].model',
    );
  });

  it('dates that do not exist or lie outside 2000-01-01 … 2099-12-31', async () => {
    const complaint = { dealerCode: 'D001', reference: 'CMP-1', amount: '1000.00', description: 'x' };
    await refused(
      request(svc.url)
        .post('/v1/complaints')
        .set(afterSales)
        .send({ ...complaint, date: '0000-01-01' }),
      'date',
    );
    await refused(
      request(svc.url)
        .post('/v1/complaints')
        .set(afterSales)
        .send({ ...complaint, date: '2026-02-30' }),
      'date',
    );
    await refused(
      request(svc.url)
        .post('/v1/dealers/D001/agreements')
        .set(finance)
        .send({ effectiveFrom: '1999-12-01', allowanceBasis: 'PER_CARD', unitRate: '15.00', settlementMode: 'PAYOUT' }),
      'effectiveFrom',
    );
  });

  it('an uploaded form row outside the limits is rejected on its own', async () => {
    const csv =
      'outlet,model,units,amount\nD001,EB-100,2147483648,1.00\nD001,EB-100,1,1.00\nD001,X/Y,1,1.00\nD001,EB-100,1,99999999999.00\n';
    const res = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/upload')
      .set(d001)
      .attach('file', Buffer.from(csv), { filename: 'sales.csv', contentType: 'text/csv' });
    expect(res.status).toBe(201);
    expect(res.body.forms).toEqual([expect.objectContaining({ form: 'sales', rows: 4, accepted: 1, rejected: 3 })]);
    expect(res.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [2, 'units'],
      [4, 'model'],
      [5, 'amount'],
    ]);
  });
});
