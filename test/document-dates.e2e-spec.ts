import request from 'supertest';
import { addDays, addQuarters, monthOfDate, monthsOfQuarter, quarterOfMonth, shanghaiDate } from '@app/kernel';
import { agreementRequest, bearer, dealerRegistration, eventually, people } from '@app/testing';
import { settleQuarter } from './support/settlement-run';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(240_000);

const financeA = people.financeAlice;
const financeB = people.financeBob;
const afterSales = people.afterSalesWang;
const dealerD001 = bearer('dealer', 'D001');
const auditor = people.auditorCarol;

/**
 * Quarters relative to today (Asia/Shanghai): Q-n two quarters back is long past its months' report due
 * times, so it can be approved; the next quarter, one back, is where its late facts land (R-SET-7).
 */
const today = shanghaiDate(new Date());
const approvedQuarter = addQuarters(quarterOfMonth(monthOfDate(today)), -2);
const nextQuarter = addQuarters(approvedQuarter, 1);
const [firstMonth, , lastMonth] = monthsOfQuarter(approvedQuarter);
const on = (day: number) => `${lastMonth}-${String(day).padStart(2, '0')}`;

/**
 * R-SET-10 (DOMAIN §9) end to end: a requisition approval and a return closing dated by their documents
 * inside a quarter already approved for the dealer are accepted, and settlement puts each into the next
 * quarter's statement as an R-SET-7 prior-period adjustment for the document's month.
 */
describe('R-SET-10 §9 document dates in an approved quarter reach the next statement as R-SET-7 lines', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startSystem();
  });

  afterAll(async () => {
    await sys?.stop();
  });

  const settle = (quarter: string) => settleQuarter(sys, quarter, { runBy: financeA, readBy: auditor, dealer: 'D001' });

  const consumed = (type: string) =>
    eventually(async () => {
      const res = await request(sys.settlement.url).get('/v1/events').query({ dealer: 'D001', type }).set(auditor);
      return res.status === 200 && res.body.items.length === 1 ? true : undefined;
    }, 60_000);

  let approvedStatementId: string;

  it(`finance registers D001 with terms from ${firstMonth}; every service learns them`, async () => {
    await request(sys.dealers.url).post('/v1/dealers').set(financeA).send(dealerRegistration()).expect(201);
    await request(sys.dealers.url)
      .post('/v1/dealers/D001/agreements')
      .set(financeA)
      .send(agreementRequest({ effectiveFrom: `${firstMonth}-01` }))
      .expect(201);
    for (const svc of [sys.requisitions, sys.returns, sys.settlement]) {
      await eventually(async () => {
        const res = await request(svc.url).get('/v1/dealer-directory/D001').set(financeA);
        return res.status === 200 && res.body.agreements.length === 1 ? true : undefined;
      }, 60_000);
    }
  });

  it(`R-SET-8 finance settles ${approvedQuarter} for D001; another finance user approves and posts it`, async () => {
    const statement = await settle(approvedQuarter);
    expect(statement.closing).toBe('0.00');
    approvedStatementId = statement.id;
    await request(sys.settlement.url).post(`/v1/statements/${statement.id}/approve`).set(financeB).expect(200);
    await request(sys.settlement.url).post(`/v1/statements/${statement.id}/post`).set(financeB).expect(200);
  });

  it(`R-SET-10 §9 a requisition filed and approved on ${on(18)} and ${on(20)}, inside the approved quarter, is accepted`, async () => {
    await request(sys.requisitions.url)
      .put('/v1/parts/BP-01')
      .set(afterSales)
      .send({ name: '刹车片', listPrice: '12.50', costPrice: '8.00', effectiveFrom: `${firstMonth}-01` })
      .expect(201);
    const filed = await request(sys.requisitions.url)
      .post('/v1/requisitions')
      .set(dealerD001)
      .send({ urgent: false, filedOn: on(18), lines: [{ partNo: 'BP-01', quantity: 10, purpose: 'STOCK' }] });
    expect(filed.status).toBe(201);
    const approved = await request(sys.requisitions.url)
      .post(`/v1/requisitions/${filed.body.id}/approve`)
      .set(afterSales)
      .send({ approvedOn: on(20) });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ filedOn: on(18), approvedOn: on(20), charges: { toAllowance: '125.00' } });
  });

  it(`R-SET-10 §9 a return applied, received and closed on ${on(15)}, ${on(18)} and ${on(21)} is accepted`, async () => {
    const applied = await request(sys.returns.url)
      .post('/v1/returns')
      .set(dealerD001)
      .send({
        applicationDate: on(15),
        lines: [
          {
            serial: 'EB200-DATES-0001',
            model: 'EB-200',
            reason: 'controller fault',
            receiptDate: addDays(on(15), -120),
            saleDate: addDays(on(15), -90),
            repairAttempted: false,
          },
        ],
      });
    expect(applied.status).toBe(201);
    await request(sys.returns.url).post(`/v1/returns/${applied.body.id}/approve`).set(afterSales).send({}).expect(200);
    await request(sys.returns.url)
      .post(`/v1/returns/${applied.body.id}/receive`)
      .set(afterSales)
      .send({ receivedOn: on(18), lines: [{ lineNo: 1, countedQuantity: 1 }] })
      .expect(200);
    const closed = await request(sys.returns.url)
      .post(`/v1/returns/${applied.body.id}/close`)
      .set(afterSales)
      .send({ closedOn: on(21), inboundFreight: '60.00', outboundFreight: '40.00' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ returnClass: 'IN_WARRANTY', closedOn: on(21), dealerTotal: '60.00' });
  });

  it(`R-SET-7 R-SET-10 §9 the ${nextQuarter} statement carries both as prior-period adjustments for ${lastMonth}; ${approvedQuarter} is unchanged`, async () => {
    await consumed('RequisitionApproved');
    await consumed('ReturnClosed');
    const next = await settle(nextQuarter);
    const adjustments = next.lines.filter((l: any) => l.ruleId === 'R-SET-7');
    expect(
      adjustments
        .map((l: any) => [l.kind, l.period, l.sources.originalRuleId, l.amount, l.affectsBalance])
        .sort((a: string[], b: string[]) => a[2].localeCompare(b[2])),
    ).toEqual([
      ['PRIOR_PERIOD_ADJUSTMENT', lastMonth, 'R-PRT-2', '-125.00', true],
      ['PRIOR_PERIOD_ADJUSTMENT', lastMonth, 'R-RET-4', '-60.00', true],
    ]);
    for (const l of adjustments) expect(l.description).toContain(`prior-period adjustment for ${lastMonth}`);
    expect(next).toMatchObject({ opening: '0.00', closing: '-185.00' });
    const approved = await request(sys.settlement.url)
      .get(`/v1/statements/${approvedStatementId}`)
      .set(auditor)
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'POSTED', closing: '0.00' });
    expect(approved.body.lines.filter((l: any) => l.ruleId === 'R-SET-7')).toEqual([]);
  });
});
