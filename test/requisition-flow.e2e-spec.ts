import request from 'supertest';
import { Topics } from '@app/contracts';
import { agreementRequest, bearer, dealerRegistration, eventually, people, workedExample } from '@app/testing';
import { KafkaProbe } from '@app/testing';
import { BRAKE_PADS_AND_CONTROLLER, setPartPrices } from './support/prices';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(180_000);

const finance = people.financeAlice;
const afterSales = people.afterSalesBob;
const dealerD001 = bearer('dealer', 'D001');
const auditor = bearer('auditor');

describe('a parts requisition from filing to its events, through HTTP and Kafka only', () => {
  let sys: TestSystem;
  let probe: KafkaProbe;
  let requisitionEvents: Awaited<ReturnType<KafkaProbe['collect']>>;
  let requisitionId: string;

  beforeAll(async () => {
    sys = await startSystem();
    probe = new KafkaProbe(sys.broker.brokers);
    requisitionEvents = await probe.collect(Topics.requisitions);
  });

  afterAll(async () => {
    await probe?.close();
    await sys?.stop();
  });

  it('finance registers D001 with its agreement in dealers; requisitions learns both from the events', async () => {
    await request(sys.dealers.url).post('/v1/dealers').set(finance).send(dealerRegistration()).expect(201);
    await request(sys.dealers.url)
      .post('/v1/dealers/D001/agreements')
      .set(finance)
      .send(agreementRequest({ partsCharging: { warranty: 'FREE', stock: 'ALLOWANCE' } }))
      .expect(201);
    const known = await eventually(async () => {
      const res = await request(sys.requisitions.url).get('/v1/dealer-directory/D001').set(finance);
      return res.status === 200 && res.body.agreements.length === 1 ? res.body : undefined;
    }, 60_000);
    expect(known.agreements[0].terms.partsCharging).toEqual({ warranty: 'FREE', stock: 'ALLOWANCE' });
  });

  it('R-PRT-1 after-sales sets the prices; the dealer files a requisition and sees its value and charge targets before approval', async () => {
    await setPartPrices(sys.requisitions.url, afterSales, BRAKE_PADS_AND_CONTROLLER);
    const filed = await request(sys.requisitions.url)
      .post('/v1/requisitions')
      .set(dealerD001)
      .send({
        urgent: true,
        lines: [
          { partNo: 'BP-01', quantity: 10, purpose: 'STOCK' },
          { partNo: 'CT-09', quantity: 2, purpose: 'WARRANTY', repairTickets: ['RT-0001'] },
        ],
      });
    expect(filed.status).toBe(201);
    requisitionId = filed.body.id;
    expect(filed.body.preview.lines.map((l: { amount: string; chargeTo: string }) => [l.amount, l.chargeTo])).toEqual([
      ['125.00', 'ALLOWANCE'],
      ['360.00', 'FREE'],
    ]);
    expect(filed.body.fundBalance).toBeNull();
  });

  it('R-PRT-2 / R-PRT-3 after-sales approves and ships; RequisitionApproved arrives at settlement (its GET /v1/events), RequisitionShipped on the topic', async () => {
    const approved = await request(sys.requisitions.url)
      .post(`/v1/requisitions/${requisitionId}/approve`)
      .set(afterSales)
      .send({ urgentFreightDifference: '35.00' });
    expect(approved.status).toBe(200);
    expect(approved.body.charges).toMatchObject({
      total: '485.00',
      toAllowance: '125.00',
      free: '360.00',
      invoicedToDealer: '35.00',
    });
    const shipped = await request(sys.requisitions.url)
      .post(`/v1/requisitions/${requisitionId}/ship`)
      .set(afterSales)
      .send();
    expect(shipped.status).toBe(200);
    expect(shipped.body.oldPartsDueOn).not.toBeNull();

    // Settlement consumed it: its audit endpoint lists every event it applied.
    const consumed = await eventually(async () => {
      const res = await request(sys.settlement.url)
        .get('/v1/events')
        .query({ dealer: 'D001', type: 'RequisitionApproved' })
        .set(auditor);
      return res.status === 200 && res.body.items.length === 1 ? res.body.items[0] : undefined;
    }, 60_000);
    expect(consumed).toMatchObject({
      type: 'RequisitionApproved',
      producer: 'requisitions',
      dealerCode: 'D001',
      payload: {
        requisitionId,
        urgent: true,
        urgentFreightDifference: '35.00',
        lines: [
          {
            partNo: 'BP-01',
            quantity: 10,
            purpose: 'STOCK',
            listPrice: '12.50',
            amount: '125.00',
            chargeTo: 'ALLOWANCE',
          },
          {
            ...workedExample.warrantyControllerLine,
          },
        ],
      },
    });
    // RequisitionShipped is on the topic (settlement has no use for it).
    const shippedEvent = await eventually(
      async () => requisitionEvents.map((m) => JSON.parse(m.value!)).find((e) => e.type === 'RequisitionShipped'),
      60_000,
    );
    expect(shippedEvent.payload).toMatchObject({ requisitionId, oldPartsDueOn: shipped.body.oldPartsDueOn });
  });

  it('R-PRT-5 the dealer reads its monthly parts statement', async () => {
    const month = (
      await request(sys.requisitions.url).get(`/v1/requisitions/${requisitionId}`).set(dealerD001).expect(200)
    ).body.approvedOn.slice(0, 7);
    const statement = await request(sys.requisitions.url)
      .get(`/v1/dealers/D001/parts-statements/${month}`)
      .set(dealerD001)
      .expect(200);
    expect(statement.body.totals).toMatchObject({
      requisitions: 1,
      lines: 2,
      total: '485.00',
      toAllowance: '125.00',
      urgentFreight: '35.00',
      oldPartsOwed: 2,
    });
  });
});
