import request from 'supertest';
import { addDays, addMonths, shanghaiDate } from '@app/kernel';
import { agreementRequest, bearer, dealerRegistration, eventually, people } from '@app/testing';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(180_000);

const finance = people.financeAlice;
const afterSales = people.afterSalesWang;
const dealerD001 = bearer('dealer', 'D001');
const auditor = bearer('auditor');

const today = shanghaiDate(new Date());
const daysAgo = (n: number) => addDays(today, -n);

describe('a return from application to its ReturnClosed event (R-RET-1..4), through HTTP and Kafka only', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startSystem();
  });

  afterAll(async () => {
    await sys?.stop();
  });

  it('dealers registers D001 and its agreement; the returns service learns both from events', async () => {
    await request(sys.dealers.url).post('/v1/dealers').set(finance).send(dealerRegistration()).expect(201);
    await request(sys.dealers.url)
      .post('/v1/dealers/D001/agreements')
      .set(finance)
      .send(agreementRequest({ effectiveFrom: `${addMonths(today.slice(0, 7), -12)}-01` }))
      .expect(201);
    const known = await eventually(async () => {
      const res = await request(sys.returns.url).get('/v1/dealer-directory/D001').set(finance);
      return res.status === 200 && res.body.agreements.length === 1 ? res.body : undefined;
    }, 60_000);
    expect(known.agreements[0].terms).toMatchObject({ doaDays: 7, qualityDays: 15, warrantyMonths: 12 });
  });

  it('R-RET-4 §9 the price list the requisitions service publishes reaches the returns service through events', async () => {
    await request(sys.requisitions.url)
      .put('/v1/parts/CTRL-48V')
      .set(afterSales)
      .send({ name: '控制器', listPrice: '180.00', costPrice: '120.00', effectiveFrom: daysAgo(30) })
      .expect(201);
    await request(sys.requisitions.url)
      .post('/v1/parts/import')
      .set(afterSales)
      .set('content-type', 'text/csv')
      .send(`partNo,name,listPrice,costPrice,effectiveFrom\r\nCTRL-48V,控制器,199.00,125.00,${addDays(today, 1)}\r\n`)
      .expect(200);
    const known = await eventually(async () => {
      const res = await request(sys.returns.url).get('/v1/part-prices/CTRL-48V').set(finance);
      return res.status === 200 && res.body.versions.length === 2 ? res.body : undefined;
    }, 60_000);
    expect(known).toMatchObject({ on: today, priceInForce: { listPrice: '180.00', effectiveFrom: daysAgo(30) } });
  });

  it('R-RET-1..4 the dealer applies, after-sales approves, receives and closes; ReturnClosed carries each charge with its rule id (worked example: 240.00 and 0.00)', async () => {
    const run = async (line: Record<string, unknown>, close: Record<string, unknown>) => {
      const applied = await request(sys.returns.url)
        .post('/v1/returns')
        .set(dealerD001)
        .send({ lines: [line] });
      expect(applied.status).toBe(201);
      const approved = await request(sys.returns.url)
        .post(`/v1/returns/${applied.body.id}/approve`)
        .set(afterSales)
        .send({});
      expect(approved.status).toBe(200);
      await request(sys.returns.url)
        .post(`/v1/returns/${applied.body.id}/receive`)
        .set(afterSales)
        .send({ lines: [{ lineNo: 1, countedQuantity: 1 }] })
        .expect(200);
      const closed = await request(sys.returns.url)
        .post(`/v1/returns/${applied.body.id}/close`)
        .set(afterSales)
        .send(close);
      expect(closed.status).toBe(200);
      return closed.body;
    };

    const inWarranty = await run(
      {
        serial: 'EB200-000777',
        model: 'EB-200',
        reason: 'controller fault',
        receiptDate: daysAgo(120),
        saleDate: daysAgo(90),
        repairAttempted: false,
      },
      {
        carrierBillNo: 'SF0001',
        inboundFreight: '60.00',
        outboundFreight: '40.00',
        parts: [{ lineNo: 1, partNo: 'CTRL-48V', quantity: 1 }],
      },
    );
    expect(inWarranty).toMatchObject({ returnClass: 'IN_WARRANTY', dealerTotal: '240.00', manufacturerTotal: '40.00' });
    const doa = await run(
      {
        serial: 'EB200-000778',
        model: 'EB-200',
        reason: 'dead on arrival',
        receiptDate: daysAgo(7),
        repairAttempted: true,
      },
      { inboundFreight: '60.00', outboundFreight: '60.00' },
    );
    expect(doa).toMatchObject({ returnClass: 'DOA', dealerTotal: '0.00' });

    // The events arrive at settlement: its consumed-events view (auditor/finance) lists them.
    const closedEvents = await eventually(async () => {
      const res = await request(sys.settlement.url).get('/v1/events?dealer=D001&type=ReturnClosed').set(auditor);
      return res.status === 200 && res.body.items.length >= 2
        ? (res.body.items as Array<{ producer: string; payload: any }>)
        : undefined;
    }, 60_000);
    const byId = new Map(closedEvents.map((e) => [e.payload.returnId, e]));
    const first = byId.get(inWarranty.id)!;
    expect(first).toMatchObject({
      type: 'ReturnClosed',
      producer: 'returns',
      dealerCode: 'D001',
      version: 1,
      payload: { dealerCode: 'D001', returnClass: 'IN_WARRANTY', closedOn: today },
    });
    const toAllowance = first.payload.charges.filter((c: { payer: string }) => c.payer === 'DEALER_ALLOWANCE');
    expect(
      toAllowance.map((c: { ruleId: string; kind: string; amount: string }) => [c.ruleId, c.kind, c.amount]),
    ).toEqual([
      ['R-RET-4', 'INBOUND_FREIGHT', '60.00'],
      ['R-RET-4', 'REFURBISHMENT_PARTS', '180.00'],
    ]);
    const second = byId.get(doa.id)!;
    expect(second.payload.returnClass).toBe('DOA');
    expect(second.payload.charges.filter((c: { payer: string }) => c.payer === 'DEALER_ALLOWANCE')).toEqual([]);
  });
});
