import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { Clock } from '@app/platform';
import { eventually, KafkaProbe, people, RunningService, seedDealers, useServiceUnderTest } from '@app/testing';
import { ReturnsAppModule } from './returns-app.module';

jest.setTimeout(90_000);

const { afterSalesWang: afterSales, d001 } = people;

/** 17:30 UTC on 31 March is already 1 April in Asia/Shanghai: "today" for the service. */
const NOW = '2026-03-31T17:30:00Z';
const TODAY = '2026-04-01';

let serialSeq = 0;
const line = () => {
  serialSeq += 1;
  return {
    serial: `EB200-DATES-${String(serialSeq).padStart(4, '0')}`,
    model: 'EB-200',
    reason: 'controller dead after fuse replaced',
    receiptDate: '2026-01-10',
    saleDate: '2026-02-01',
    repairAttempted: false,
  };
};

describe('document dates of a return: application, receipt, closing (R-SET-10, DOMAIN §9)', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  const apply = (body: Record<string, unknown>) =>
    request(svc.url)
      .post('/v1/returns')
      .set(d001)
      .send({ lines: [line()], ...body });
  const approve = (id: string) => request(svc.url).post(`/v1/returns/${id}/approve`).set(afterSales).send({});
  const receive = (id: string, body: Record<string, unknown> = {}) =>
    request(svc.url)
      .post(`/v1/returns/${id}/receive`)
      .set(afterSales)
      .send({ lines: [{ lineNo: 1, countedQuantity: 1 }], ...body });
  const close = (id: string, body: Record<string, unknown> = {}) =>
    request(svc.url)
      .post(`/v1/returns/${id}/close`)
      .set(afterSales)
      .send({ inboundFreight: '60.00', outboundFreight: '40.00', ...body });
  /** A return applied on `applicationDate`, approved and, with `receivedOn`, received. */
  const returnUpTo = async (applicationDate: string, receivedOn?: string): Promise<string> => {
    const applied = await apply({ applicationDate });
    expect(applied.status).toBe(201);
    await approve(applied.body.id).expect(200);
    if (receivedOn) await receive(applied.body.id, { receivedOn }).expect(200);
    return applied.body.id;
  };
  const count = async (table: string) =>
    (await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  useServiceUnderTest('returns', ReturnsAppModule, 'int_return_dates', async (stack) => {
    ({ svc, sql, probe } = stack);
    await seedDealers(stack, [{ code: 'D001', effectiveFrom: '2025-01-01' }]);
    jest.spyOn(svc.app.get(Clock), 'now').mockReturnValue(new Date(NOW));
  });

  it('R-SET-10 §9 application, receipt and closing dates default to today in Asia/Shanghai', async () => {
    const applied = await apply({});
    expect(applied.status).toBe(201);
    expect(applied.body.applicationDate).toBe(TODAY);
    await approve(applied.body.id).expect(200);
    expect((await receive(applied.body.id)).body.receivedOn).toBe(TODAY);
    const closed = await close(applied.body.id);
    expect(closed.status).toBe(200);
    expect(closed.body.closedOn).toBe(TODAY);
  });

  it('R-SET-10 §9 the dates on the documents are kept, and ReturnClosed carries the closing date', async () => {
    const events = await probe.collect(Topics.returns);
    const id = await returnUpTo('2026-03-20', '2026-03-25');
    const closed = await close(id, { closedOn: '2026-03-31' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      applicationDate: '2026-03-20',
      receivedOn: '2026-03-25',
      closedOn: '2026-03-31',
    });
    const message = await eventually(async () => events.find((m) => m.value?.includes(id)), 60_000);
    expect(JSON.parse(message.value!)).toMatchObject({
      type: 'ReturnClosed',
      payload: { returnId: id, closedOn: '2026-03-31' },
    });
  });

  it('R-SET-10 §9 an application dated in the future is refused with 422 naming the field and the rule; nothing is written', async () => {
    const before = await count('return_applications');
    const res = await apply({ applicationDate: '2026-04-02' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'DOCUMENT_DATE',
      errors: [
        {
          field: 'applicationDate',
          rule: 'R-SET-10',
          message: 'applicationDate 2026-04-02 is in the future: today in Asia/Shanghai is 2026-04-01',
        },
      ],
    });
    expect(await count('return_applications')).toBe(before);
  });

  it('R-SET-10 §9 a receipt dated before its application is refused, and the return stays APPROVED', async () => {
    const id = await returnUpTo('2026-03-20');
    const res = await receive(id, { receivedOn: '2026-03-19' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        field: 'receivedOn',
        rule: 'R-SET-10',
        message:
          'receivedOn 2026-03-19 is before applicationDate 2026-03-20: the receipt cannot precede the application',
      },
    ]);
    const future = await receive(id, { receivedOn: '2026-04-02' });
    expect(future.status).toBe(422);
    expect(future.body.errors[0]).toMatchObject({ field: 'receivedOn', rule: 'R-SET-10' });
    expect((await request(svc.url).get(`/v1/returns/${id}`).set(afterSales)).body.status).toBe('APPROVED');
  });

  it('R-SET-10 §9 a closing dated before its receipt, or in the future, is refused, and the return stays RECEIVED', async () => {
    const id = await returnUpTo('2026-03-20', '2026-03-25');
    const before = await close(id, { closedOn: '2026-03-24' });
    expect(before.status).toBe(422);
    expect(before.body.errors).toEqual([
      {
        field: 'closedOn',
        rule: 'R-SET-10',
        message: 'closedOn 2026-03-24 is before receivedOn 2026-03-25: the closing cannot precede the receipt',
      },
    ]);
    const future = await close(id, { closedOn: '2026-04-02' });
    expect(future.status).toBe(422);
    expect(future.body.errors[0]).toMatchObject({ field: 'closedOn', rule: 'R-SET-10' });
    expect((await request(svc.url).get(`/v1/returns/${id}`).set(afterSales)).body).toMatchObject({
      status: 'RECEIVED',
      closedOn: null,
    });
  });

  it('R-SET-10 §9 document dates outside the limits of the domain are refused with 400 naming the field', async () => {
    const early = await apply({ applicationDate: '1999-12-31' });
    expect(early.status).toBe(400);
    expect(early.body.errors).toEqual([expect.objectContaining({ field: 'applicationDate', rule: 'calendarDate' })]);
    const id = await returnUpTo('2026-03-20', '2026-03-25');
    const notADay = await close(id, { closedOn: '2026-02-30' });
    expect(notADay.status).toBe(400);
    expect(notADay.body.errors).toEqual([expect.objectContaining({ field: 'closedOn', rule: 'calendarDate' })]);
  });
});
