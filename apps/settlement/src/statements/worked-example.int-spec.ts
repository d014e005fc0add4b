import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { dec, formatMoney, sumMoney } from '@app/kernel';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import {
  accrualRows,
  eventually,
  invoicedOutsideBalance,
  KafkaProbe,
  people,
  RunningService,
  useServiceUnderTest,
  workedExample,
  workedExampleTerms,
} from '@app/testing';
import { SettlementAppModule } from '../settlement-app.module';
import { returnCharge, salesReportPayload } from '../settlement.test-support';

jest.setTimeout(120_000);

const { financeAlice: alice, financeBob: bob, auditorCarol: auditor } = people;

/**
 * DOMAIN §8 through settlement's public API: the facts arrive as the producers' events on their
 * topics (dealers, requisitions, returns), finance runs, approves and posts each quarter.
 */
describe('DOMAIN §8 worked example through settlement (events in, HTTP out), to the fen', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  let consumed = 0;

  async function publish(topic: string, type: string, payload: Record<string, unknown>): Promise<void> {
    await probe.publishEvent(topic, type, 'D001', payload);
    consumed += 1;
  }
  const dealersEvent = (type: string, payload: Record<string, unknown>) =>
    publish(Topics.dealers, type, { dealerCode: 'D001', ...payload });
  const cards = (month: string, n: number, model = 'EB-100') =>
    Array.from({ length: n }, (_, i) => ({
      serial: `${month}-${model}-${i}`,
      model,
      saleDate: `${month}-05`,
      outlet: 'D001',
      flags: [],
    }));
  const report = (month: string) => dealersEvent('MonthlyReportSubmitted', salesReportPayload('D001', month));
  const requisition = (
    approvedOn: string,
    lines: Array<[string, string, number, string]>,
    urgentFreightDifference: string | null = null,
  ) =>
    publish(Topics.requisitions, 'RequisitionApproved', {
      dealerCode: 'D001',
      requisitionId: randomUUID(),
      approvedOn,
      urgent: urgentFreightDifference !== null,
      urgentFreightDifference,
      lines: lines.map(([partNo, partName, quantity, listPrice], i) => ({
        lineId: String(i + 1),
        partNo,
        partName,
        quantity,
        purpose: 'WARRANTY',
        listPrice,
        costPrice: listPrice,
        chargeTo: 'ALLOWANCE',
        amount: formatMoney(dec(listPrice).times(quantity)),
      })),
    });

  async function allConsumed(): Promise<void> {
    await eventually(async () => {
      // Every handler journals its event in consumed_events in the same transaction as its effect.
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM consumed_events`);
      return rows[0].n >= consumed ? true : undefined;
    }, 30_000);
  }

  async function settle(quarter: string): Promise<any> {
    const run = await request(svc.url).post(`/v1/settlements/${quarter}/runs`).set(alice).expect(202);
    const done = await eventually(async () => {
      const res = await request(svc.url).get(`/v1/settlements/${quarter}/runs/${run.body.id}`).set(alice).expect(200);
      return res.body.status === 'RUNNING' ? undefined : res.body;
    });
    expect(done).toMatchObject({ status: 'DONE', errors: [] });
    const list = await request(svc.url)
      .get(`/v1/settlements/${quarter}/statements`)
      .query({ dealer: 'D001' })
      .set(auditor)
      .expect(200);
    return (await request(svc.url).get(`/v1/statements/${list.body.items[0].id}`).set(auditor).expect(200)).body;
  }

  async function approveAndPost(id: string): Promise<any> {
    await request(svc.url).post(`/v1/statements/${id}/approve`).set(bob).expect(200);
    return (await request(svc.url).post(`/v1/statements/${id}/post`).set(bob).expect(200)).body;
  }

  useServiceUnderTest('settlement', SettlementAppModule, 'int_settlement_worked_example', async (stack) => {
    ({ svc, sql, probe } = stack);

    await publish(Topics.dealers, 'DealerRegistered', {
      code: 'D001',
      name: 'Dealer D001',
      region: null,
      status: 'ACTIVE',
    });
    await dealersEvent('AgreementVersionSet', {
      version: 1,
      effectiveFrom: '2026-01-01',
      terms: workedExampleTerms({ missedReportPenaltyPercent: '10', excellenceAwardPercent: '50' }),
    });
    for (const month of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']) await report(month);
    await dealersEvent('WarrantyCardsAccepted', {
      reportMonth: '2026-01',
      batchId: randomUUID(),
      cards: [...cards('2026-01', 100), ...cards('2026-01', 20, 'EB-200')],
    });
    await dealersEvent('WarrantyCardsAccepted', {
      reportMonth: '2026-02',
      batchId: randomUUID(),
      cards: cards('2026-02', 80),
    });
    await dealersEvent('WarrantyCardsAccepted', {
      reportMonth: '2026-03',
      batchId: randomUUID(),
      cards: cards('2026-03', 150),
    });
    for (const serial of ['2026-03-EB-100-7', '2026-03-EB-100-8']) {
      await dealersEvent('CallbackAuditRecorded', {
        reportMonth: '2026-03',
        auditId: randomUUID(),
        serial,
        model: 'EB-100',
        result: 'FALSIFIED',
        recordedOn: '2026-03-25',
      });
    }
    await requisition('2026-01-15', [['BP-01', 'brake pad', 10, '12.50']]);
    await requisition('2026-02-10', [['CT-01', 'controller', 2, '180.00']], '35.00');
    await publish(Topics.returns, 'ReturnClosed', {
      dealerCode: 'D001',
      returnId: randomUUID(),
      closedOn: '2026-03-10',
      returnClass: 'IN_WARRANTY',
      charges: [
        returnCharge('INBOUND_FREIGHT', 'DEALER_ALLOWANCE', '60.00', 'carrier bill'),
        returnCharge('REFURBISHMENT_PARTS', 'DEALER_ALLOWANCE', '180.00', '1 controller'),
      ],
    });
    await publish(Topics.returns, 'ReturnClosed', {
      dealerCode: 'D001',
      returnId: randomUUID(),
      closedOn: '2026-03-12',
      returnClass: 'DOA',
      charges: [],
    });
    await dealersEvent('ComplaintRecorded', {
      complaintId: randomUUID(),
      reference: 'CP-1',
      date: '2026-02-20',
      amount: '1000.00',
      description: 'rude technician',
    });
    // Q2: no cards, one large parts charge so that Q2 closes at −412.50 (3,295.00 − 3,707.50).
    await requisition('2026-05-06', [['MT-01', 'motor', 1, '3707.50']]);
    await allConsumed();
  });

  it('R-SET-2 2026-Q1 closes at 3,295.00 carried to Q2, with 35.00 invoiced outside the balance', async () => {
    const q1 = await settle('2026-Q1');
    const balance = q1.lines.filter((l: any) => l.affectsBalance);
    const sumOf = (pred: (l: any) => boolean) => formatMoney(sumMoney(balance.filter(pred).map((l: any) => l.amount)));
    expect(accrualRows(q1.lines)).toEqual(workedExample.q1.accrual);
    expect(sumOf((l) => l.kind === 'FAKE_CARD_PENALTY')).toBe('-300.00');
    expect(sumOf((l) => l.kind === 'PARTS_CHARGE')).toBe('-485.00');
    expect(sumOf((l) => l.kind === 'RETURN_CHARGE')).toBe('-240.00');
    expect(sumOf((l) => l.kind === 'COMPLAINT_PENALTY')).toBe('-1000.00');
    // Outside the balance: the urgent freight difference invoiced (informational lines, e.g. the 2 excluded cards, carry 0.00).
    expect(invoicedOutsideBalance(q1.lines)).toEqual(workedExample.q1.invoicedOutsideBalance);
    expect(q1).toMatchObject({
      opening: '0.00',
      closing: '3295.00',
      totals: expect.objectContaining({ accrual: '5320.00', invoiced: '35.00' }),
    });
    const posted = await approveAndPost(q1.id);
    expect(posted.outcome).toEqual(workedExample.q1.outcome);
  });

  it('R-SET-4 2026-Q2 opens at 3,295.00 and closes at −412.50: the dealer is billed 412.50 and 2026-Q3 opens at 0.00', async () => {
    const q2 = await settle('2026-Q2');
    expect(q2).toMatchObject({ opening: '3295.00', closing: '-412.50' });
    const posted = await approveAndPost(q2.id);
    expect(posted.outcome).toEqual(workedExample.q2.outcome);
    const { rows } = await sql.query(
      `SELECT sum(debit)::text AS d, sum(credit)::text AS c,
              sum(CASE WHEN account = 'dealer-fund:D001' THEN credit - debit END)::text AS fund,
              sum(CASE WHEN account = 'receivable:D001' THEN debit - credit END)::text AS receivable
       FROM ledger_entries`,
    );
    // Σdebit = Σcredit; the fund is back to 0.00; receivable = 35.00 (Q1 invoiced) + 412.50 (Q2 deficit).
    expect(rows[0]).toEqual({ d: rows[0].c, c: rows[0].c, fund: '0.00', receivable: '447.50' });
    const q3 = await settle('2026-Q3');
    expect(q3.opening).toBe('0.00');
  });
});
