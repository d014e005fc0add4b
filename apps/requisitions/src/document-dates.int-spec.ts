import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { Clock } from '@app/platform';
import { eventually, KafkaProbe, people, RunningService, seedDealers, useServiceUnderTest } from '@app/testing';
import { RequisitionsAppModule } from './requisitions-app.module';

jest.setTimeout(90_000);

const { afterSalesBob: afterSales, d001 } = people;

/** 17:30 UTC on 31 March is already 1 April in Asia/Shanghai: "today" for the service. */
const NOW = '2026-03-31T17:30:00Z';
const TODAY = '2026-04-01';

describe('document dates of a requisition: filing and approval (R-SET-10, DOMAIN §9)', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  const file = (body: Record<string, unknown> = {}) =>
    request(svc.url)
      .post('/v1/requisitions')
      .set(d001)
      .send({ urgent: false, lines: [{ partNo: 'BP-01', quantity: 10, purpose: 'STOCK' }], ...body });
  const approve = (id: string, body: Record<string, unknown> = {}) =>
    request(svc.url).post(`/v1/requisitions/${id}/approve`).set(afterSales).send(body);
  const count = async (table: string) =>
    (await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  useServiceUnderTest('requisitions', RequisitionsAppModule, 'int_requisition_dates', async (stack) => {
    ({ svc, sql, probe } = stack);
    await seedDealers(stack, [{ code: 'D001', effectiveFrom: '2025-01-01' }]);
    jest.spyOn(svc.app.get(Clock), 'now').mockReturnValue(new Date(NOW));
    for (const [listPrice, effectiveFrom] of [
      ['12.50', '2026-01-01'],
      ['13.00', '2026-04-01'],
    ]) {
      await request(svc.url)
        .put('/v1/parts/BP-01')
        .set(afterSales)
        .send({ name: 'brake pad', listPrice, costPrice: '8.00', effectiveFrom })
        .expect(201);
    }
  });

  it('R-SET-10 §9 filing and approval dates default to today in Asia/Shanghai', async () => {
    const filed = await file();
    expect(filed.status).toBe(201);
    expect(filed.body.filedOn).toBe(TODAY);
    const approved = await approve(filed.body.id);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ filedOn: TODAY, approvedOn: TODAY });
    expect(approved.body.lines[0].listPrice).toBe('13.00');
  });

  it('R-SET-10 §9 the dates on the documents are kept: prices of the approval date, RequisitionApproved carries it', async () => {
    const events = await probe.collect(Topics.requisitions);
    const filed = await file({ filedOn: '2026-03-28' });
    expect(filed.status).toBe(201);
    expect(filed.body.filedOn).toBe('2026-03-28');
    const approved = await approve(filed.body.id, { approvedOn: '2026-03-31' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ filedOn: '2026-03-28', approvedOn: '2026-03-31' });
    // R-PRT-1: valued at the price in force on the approval date, not today's.
    expect(approved.body.charges.total).toBe('125.00');
    const message = await eventually(
      async () => events.find((m) => m.value?.includes(filed.body.id) && m.value.includes('RequisitionApproved')),
      60_000,
    );
    expect(JSON.parse(message.value!).payload).toMatchObject({
      requisitionId: filed.body.id,
      approvedOn: '2026-03-31',
    });
    const listed = await request(svc.url).get('/v1/requisitions').query({ month: '2026-03' }).set(d001).expect(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(filed.body.id);
  });

  it('R-SET-10 §9 a filing dated in the future is refused with 422 naming the field and the rule; nothing is written', async () => {
    const before = await count('requisitions');
    const res = await file({ filedOn: '2026-04-02' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'DOCUMENT_DATE',
      errors: [
        {
          field: 'filedOn',
          rule: 'R-SET-10',
          message: 'filedOn 2026-04-02 is in the future: today in Asia/Shanghai is 2026-04-01',
        },
      ],
    });
    expect(await count('requisitions')).toBe(before);
  });

  it('R-SET-10 §9 an approval dated before its filing is refused, and the requisition stays SUBMITTED', async () => {
    const filed = await file({ filedOn: '2026-03-28' });
    const res = await approve(filed.body.id, { approvedOn: '2026-03-27' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        field: 'approvedOn',
        rule: 'R-SET-10',
        message: 'approvedOn 2026-03-27 is before filedOn 2026-03-28: the approval cannot precede the filing',
      },
    ]);
    const future = await approve(filed.body.id, { approvedOn: '2026-04-02' });
    expect(future.status).toBe(422);
    expect(future.body.errors[0]).toMatchObject({ field: 'approvedOn', rule: 'R-SET-10' });
    const now = await request(svc.url).get(`/v1/requisitions/${filed.body.id}`).set(afterSales).expect(200);
    expect(now.body).toMatchObject({ status: 'SUBMITTED', approvedOn: null });
  });

  it('R-SET-10 §9 a refused document date reads in Simplified Chinese with zh-CN and in English with en', async () => {
    const filed = await file({ filedOn: '2026-03-28' });
    const zh = await approve(filed.body.id, { approvedOn: '2026-03-27' }).set('Accept-Language', 'zh-CN');
    expect(zh.status).toBe(422);
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.body).toMatchObject({
      code: 'DOCUMENT_DATE',
      title: '无法处理的内容',
      detail: 'R-SET-10 单据日期不符：approvedOn 2026-03-27 早于 filedOn 2026-03-28：审批日期不能早于提交申领日期。',
      errors: [
        {
          field: 'approvedOn',
          rule: 'R-SET-10',
          message: 'approvedOn 2026-03-27 早于 filedOn 2026-03-28：审批日期不能早于提交申领日期',
        },
      ],
    });
    const future = await file({ filedOn: '2026-04-02' }).set('Accept-Language', 'zh-CN');
    expect(future.body.errors[0].message).toBe('filedOn 2026-04-02 是未来日期：上海时间今天是 2026-04-01');
    const en = await approve(filed.body.id, { approvedOn: '2026-03-27' }).set('Accept-Language', 'en');
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toMatchObject({
      title: 'Unprocessable Content',
      detail: 'R-SET-10: approvedOn 2026-03-27 is before filedOn 2026-03-28: the approval cannot precede the filing.',
    });
  });

  it('R-SET-10 §9 document dates outside the limits of the domain are refused with 400 naming the field', async () => {
    const early = await file({ filedOn: '1999-12-31' });
    expect(early.status).toBe(400);
    expect(early.body.errors).toEqual([expect.objectContaining({ field: 'filedOn', rule: 'calendarDate' })]);
    const filed = await file({ filedOn: '2026-03-28' });
    const notADay = await approve(filed.body.id, { approvedOn: '2026-02-30' });
    expect(notADay.status).toBe(400);
    expect(notADay.body.errors).toEqual([expect.objectContaining({ field: 'approvedOn', rule: 'calendarDate' })]);
  });
});
