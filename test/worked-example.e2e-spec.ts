import request from 'supertest';
import { addDays, shanghaiDate } from '@app/kernel';
import {
  accrualRows,
  agreementRequest,
  bearer,
  dealerRegistration,
  eventually,
  invoicedOutsideBalance,
  people,
  workedExample,
} from '@app/testing';
import { Clock } from '@app/platform';
import { settleQuarter } from './support/settlement-run';
import { BRAKE_PADS_AND_CONTROLLER, setPartPrices } from './support/prices';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(180_000);

const financeA = people.financeAlice;
const financeB = people.financeBob;
const afterSales = people.afterSalesWang;
const dealerD001 = bearer('dealer', 'D001');
const auditor = people.auditorCarol;

let phoneSeq = 0;
/** `n` cards of one model sold in `month`, unique serials and phones (no PHONE_REUSED flags). */
function cards(month: string, model: string, n: number) {
  return Array.from({ length: n }, (_, i) => {
    phoneSeq += 1;
    return {
      serial: `${model.replace('-', '')}-${month.replace('-', '')}-${String(i + 1).padStart(4, '0')}`,
      model,
      saleDate: `${month}-${String((i % 28) + 1).padStart(2, '0')}`,
      outlet: 'D001',
      consumerName: '张三',
      phone: `139${String(phoneSeq).padStart(8, '0')}`,
      address: '上海市浦东新区',
    };
  });
}

/** Amount of the lines that affect the balance, summed exactly in fen, as a decimal string. */
function total(lines: any[], kind: string): string {
  const fen = lines
    .filter((l) => l.affectsBalance && l.kind === kind)
    .reduce((n, l) => n + BigInt(String(l.amount).replace('.', '')), 0n);
  const abs = fen < 0n ? -fen : fen;
  return `${fen < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/**
 * DOMAIN §8 end to end: every fact is produced by its owning service through its public HTTP API
 * (dealers, requisitions, returns), travels over the broker, and settlement computes, approves and
 * posts each quarter — to the fen.
 */
describe('DOMAIN §8 worked example through the public HTTP APIs of all four services, to the fen', () => {
  let sys: TestSystem;
  let requisitionsClock: Clock;

  const at = (instant: string) => jest.spyOn(requisitionsClock, 'now').mockReturnValue(new Date(instant));

  /** Settlement's consumed-events view: how many events of `type` it applied for D001. */
  const consumedCount = async (type: string) => {
    const res = await request(sys.settlement.url)
      .get('/v1/events')
      .query({ dealer: 'D001', type, limit: 500 })
      .set(auditor);
    return res.status === 200 ? (res.body.items as unknown[]).length : -1;
  };
  const consumed = (expected: Record<string, number>) =>
    eventually(async () => {
      for (const [type, n] of Object.entries(expected)) if ((await consumedCount(type)) !== n) return undefined;
      return true;
    }, 60_000);

  const settle = (quarter: string) => settleQuarter(sys, quarter, { runBy: financeA, readBy: auditor, dealer: 'D001' });

  /** R-SET-8: the user who ran the settlement cannot approve it; another finance user approves and posts. */
  async function approveAndPost(id: string): Promise<any> {
    const self = await request(sys.settlement.url).post(`/v1/statements/${id}/approve`).set(financeA);
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('SAME_USER_APPROVAL');
    await request(sys.settlement.url).post(`/v1/statements/${id}/approve`).set(financeB).expect(200);
    return (await request(sys.settlement.url).post(`/v1/statements/${id}/post`).set(financeB).expect(200)).body;
  }

  /** Files a requisition as D001 and approves it as after-sales, both at `instant` on the requisitions clock. */
  async function requisition(
    instant: string,
    urgent: boolean,
    lines: Array<{ partNo: string; quantity: number; purpose: 'STOCK' | 'WARRANTY' }>,
    urgentFreightDifference?: string,
  ) {
    at(instant);
    const filed = await request(sys.requisitions.url)
      .post('/v1/requisitions')
      .set(dealerD001)
      .send({ urgent, lines: lines.map((l) => (l.purpose === 'WARRANTY' ? { ...l, repairTickets: ['RT-0001'] } : l)) });
    expect(filed.status).toBe(201);
    const approved = await request(sys.requisitions.url)
      .post(`/v1/requisitions/${filed.body.id}/approve`)
      .set(afterSales)
      .send(urgentFreightDifference === undefined ? {} : { urgentFreightDifference });
    expect(approved.status).toBe(200);
    expect(approved.body.approvedOn).toBe(shanghaiDate(new Date(instant)));
    return approved.body;
  }

  beforeAll(async () => {
    sys = await startSystem();
    requisitionsClock = sys.requisitions.app.get(Clock, { strict: false });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await sys?.stop();
  });

  it('1. dealers: finance registers D001, the product models and the §8 agreement; the other services learn them', async () => {
    await request(sys.dealers.url).post('/v1/dealers').set(financeA).send(dealerRegistration()).expect(201);
    for (const model of ['EB-100', 'EB-200']) {
      await request(sys.dealers.url)
        .put(`/v1/product-models/${model}`)
        .set(financeA)
        .send({ name: `电动自行车 ${model}` })
        .expect((r) => expect([200, 201]).toContain(r.status));
    }
    const agreement = await request(sys.dealers.url)
      .post('/v1/dealers/D001/agreements')
      .set(financeA)
      .send({
        ...agreementRequest(),
        modelRates: [{ model: 'EB-200', rate: '20.00' }],
        partsCharging: { warranty: 'ALLOWANCE', stock: 'ALLOWANCE' },
        complaintPenalty: '1000.00',
        fakeCardPolicy: 'PENALTY_MULTIPLE',
        fakeCardMultiple: 10,
      });
    expect(agreement.status).toBe(201);
    expect(agreement.body).toMatchObject({
      version: 1,
      terms: { unitRate: '15.00', complaintPenalty: '1000.00', fakeCardMultiple: 10 },
    });
    for (const svc of [sys.requisitions, sys.returns, sys.settlement]) {
      await eventually(async () => {
        const res = await request(svc.url).get('/v1/dealer-directory/D001').set(financeA);
        return res.status === 200 && res.body.agreements.length === 1 ? true : undefined;
      }, 60_000);
    }
  });

  it('2. dealers: D001 submits the Q1 sales statistics and its warranty cards (Jan 100 EB-100 + 20 EB-200, Feb 80, Mar 150)', async () => {
    for (const month of ['2026-01', '2026-02', '2026-03']) {
      const res = await request(sys.dealers.url)
        .put(`/v1/dealers/D001/reports/${month}/sales`)
        .set(dealerD001)
        .send({ lines: [{ outlet: 'D001', model: 'EB-100', units: 100, amount: '199900.00' }] });
      expect(res.status).toBe(200);
    }
    const batches: Array<[string, any[]]> = [
      ['2026-01', [...cards('2026-01', 'EB-100', 100), ...cards('2026-01', 'EB-200', 20)]],
      ['2026-02', cards('2026-02', 'EB-100', 80)],
      ['2026-03', cards('2026-03', 'EB-100', 150)],
    ];
    for (const [month, batch] of batches) {
      const res = await request(sys.dealers.url)
        .post(`/v1/dealers/D001/reports/${month}/warranty-cards`)
        .set(dealerD001)
        .send({ cards: batch });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ accepted: batch.length, rejected: 0 });
    }
  });

  it('3. dealers: after-sales audits March at 100 % and finds 2 cards FALSIFIED (R-AUD-1..3)', async () => {
    const drawn = await request(sys.dealers.url)
      .post('/v1/audits')
      .set(afterSales)
      .send({ dealerCode: 'D001', month: '2026-03', percent: '100', seed: 'worked-example' });
    expect(drawn.status).toBe(201);
    expect(drawn.body).toMatchObject({ populationCount: 150, sampleSize: 150 });
    for (const { serial } of drawn.body.sample.slice(0, 2)) {
      const res = await request(sys.dealers.url)
        .put(`/v1/warranty-cards/${serial}/audit`)
        .set(afterSales)
        .send({ result: 'FALSIFIED', note: '回访: 顾客未购买' });
      expect(res.status).toBe(200);
    }
  });

  it('4. requisitions: Jan 10 brake pads approved in January; Feb 2 controllers, urgent, freight difference 35.00, approved in February (R-PRT-1..3, R-SET-10)', async () => {
    await setPartPrices(sys.requisitions.url, afterSales, BRAKE_PADS_AND_CONTROLLER);
    const jan = await requisition('2026-01-15T02:00:00Z', false, [{ partNo: 'BP-01', quantity: 10, purpose: 'STOCK' }]);
    expect(jan.charges).toMatchObject({ total: '125.00', toAllowance: '125.00', invoicedToDealer: '0.00' });
    const feb = await requisition(
      '2026-02-10T02:00:00Z',
      true,
      [{ partNo: 'CT-09', quantity: 2, purpose: 'WARRANTY' }],
      '35.00',
    );
    expect(feb.charges).toMatchObject({ total: '360.00', toAllowance: '360.00', invoicedToDealer: '35.00' });
    jest.mocked(requisitionsClock.now).mockRestore();
  });

  it('5. returns: one IN_WARRANTY return closed with 60.00 inbound freight + 1 controller at its list price 180.00, one DOA closed at 0.00, both closed in March 2026 (R-RET-1..4, R-RET-4 §9)', async () => {
    // R-RET-4 §9: the returns service values the controller from the price list requisitions published in step 4.
    await eventually(async () => {
      const res = await request(sys.returns.url).get('/v1/part-prices/CT-09?on=2026-03-10').set(afterSales);
      return res.status === 200 && res.body.priceInForce?.listPrice === '180.00' ? true : undefined;
    }, 60_000);
    // R-SET-10: application, receipt and closing carry the dates on their documents, all on the closing day here.
    const run = async (line: Record<string, unknown>, closedOn: string, close: Record<string, unknown>) => {
      const applied = await request(sys.returns.url)
        .post('/v1/returns')
        .set(dealerD001)
        .send({ applicationDate: closedOn, lines: [line] });
      expect(applied.status).toBe(201);
      await request(sys.returns.url)
        .post(`/v1/returns/${applied.body.id}/approve`)
        .set(afterSales)
        .send({})
        .expect(200);
      await request(sys.returns.url)
        .post(`/v1/returns/${applied.body.id}/receive`)
        .set(afterSales)
        .send({ receivedOn: closedOn, lines: [{ lineNo: 1, countedQuantity: 1 }] })
        .expect(200);
      const closed = await request(sys.returns.url)
        .post(`/v1/returns/${applied.body.id}/close`)
        .set(afterSales)
        .send({ ...close, closedOn });
      expect(closed.status).toBe(200);
      return closed.body;
    };
    const inWarranty = await run(
      {
        serial: 'EB200-202601-0007',
        model: 'EB-200',
        reason: 'controller fault',
        receiptDate: addDays('2026-03-10', -120),
        saleDate: addDays('2026-03-10', -90),
        repairAttempted: false,
      },
      '2026-03-10',
      {
        carrierBillNo: 'SF0001',
        inboundFreight: '60.00',
        outboundFreight: '40.00',
        parts: [{ lineNo: 1, partNo: 'CT-09', quantity: 1 }],
      },
    );
    expect(inWarranty).toMatchObject({ returnClass: 'IN_WARRANTY', closedOn: '2026-03-10', dealerTotal: '240.00' });
    const doa = await run(
      {
        serial: 'EB100-202603-0099',
        model: 'EB-100',
        reason: 'dead on arrival',
        receiptDate: addDays('2026-03-12', -7),
        repairAttempted: true,
      },
      '2026-03-12',
      { inboundFreight: '60.00', outboundFreight: '60.00' },
    );
    expect(doa).toMatchObject({ returnClass: 'DOA', closedOn: '2026-03-12', dealerTotal: '0.00' });
  });

  it('6. dealers: after-sales records one Q1 complaint at the default 1,000.00', async () => {
    const res = await request(sys.dealers.url)
      .post('/v1/complaints')
      .set(afterSales)
      .send({ dealerCode: 'D001', reference: 'CMP-2026-0001', date: '2026-02-20', description: '顾客投诉维修态度差' });
    expect(res.status).toBe(201);
    expect(res.body.amount).toBe('1000.00');
  });

  it('7. settlement: 2026-Q1 closes at 3,295.00, carried to Q2, with 35.00 invoiced outside the balance; approved by another finance user and posted', async () => {
    await consumed({
      MonthlyReportSubmitted: 3,
      CallbackAuditRecorded: 2,
      RequisitionApproved: 2,
      ReturnClosed: 2,
      ComplaintRecorded: 1,
    });
    await eventually(async () => {
      const res = await request(sys.settlement.url)
        .get('/v1/dealers/D001/balance')
        .query({ quarter: '2026-Q1' })
        .set(financeA);
      return res.status === 200 && res.body.months.map((m: { cards: number }) => m.cards).join() === '120,80,148'
        ? true
        : undefined;
    }, 60_000);

    const q1 = await settle('2026-Q1');
    expect(accrualRows(q1.lines)).toEqual(workedExample.q1.accrual);
    // Every other line, dated by its own fact (R-SET-10): approval dates, closing dates, the complaint date, the cards' month.
    expect(
      q1.lines
        .filter((l: any) => l.kind !== 'ALLOWANCE_ACCRUAL')
        .map((l: any) => [l.ruleId, l.kind, l.period, l.amount, l.affectsBalance]),
    ).toEqual([
      ['R-AUD-2', 'CARDS_EXCLUDED', '2026-03', '0.00', false],
      ['R-AUD-3', 'FAKE_CARD_PENALTY', '2026-03', '-300.00', true],
      ['R-PRT-2', 'PARTS_CHARGE', '2026-01', '-125.00', true],
      ['R-PRT-2', 'PARTS_CHARGE', '2026-02', '-360.00', true],
      ['R-RET-4', 'RETURN_CHARGE', '2026-03', '-240.00', true],
      ['R-RET-4', 'RETURN_CHARGE', '2026-03', '0.00', true],
      ['R-SET-2', 'COMPLAINT_PENALTY', '2026-02', '-1000.00', true],
      ['R-PRT-3', 'URGENT_FREIGHT_INVOICED', '2026-02', '35.00', false],
    ]);
    expect(total(q1.lines, 'FAKE_CARD_PENALTY')).toBe('-300.00');
    expect(total(q1.lines, 'PARTS_CHARGE')).toBe('-485.00');
    expect(total(q1.lines, 'RETURN_CHARGE')).toBe('-240.00');
    expect(total(q1.lines, 'COMPLAINT_PENALTY')).toBe('-1000.00');
    // Nothing else moves the balance; outside it only the urgent freight difference is invoiced.
    expect(
      [...new Set(q1.lines.filter((l: any) => l.affectsBalance && l.amount !== '0.00').map((l: any) => l.kind))].sort(),
    ).toEqual(['ALLOWANCE_ACCRUAL', 'COMPLAINT_PENALTY', 'FAKE_CARD_PENALTY', 'PARTS_CHARGE', 'RETURN_CHARGE']);
    expect(invoicedOutsideBalance(q1.lines)).toEqual(workedExample.q1.invoicedOutsideBalance);
    expect(q1).toMatchObject({
      dealerCode: 'D001',
      quarter: '2026-Q1',
      opening: '0.00',
      closing: '3295.00',
      totals: expect.objectContaining({ accrual: '5320.00', invoiced: '35.00' }),
    });

    const posted = await approveAndPost(q1.id);
    expect(posted.outcome).toEqual(workedExample.q1.outcome);
  });

  it('8. Q2: three complaints and a 707.50 requisition close 2026-Q2 at −412.50: the dealer is billed 412.50 and 2026-Q3 opens at 0.00', async () => {
    for (const [i, date] of ['2026-04-08', '2026-05-12', '2026-06-16'].entries()) {
      const res = await request(sys.dealers.url)
        .post('/v1/complaints')
        .set(afterSales)
        .send({ dealerCode: 'D001', reference: `CMP-2026-000${i + 2}`, date, description: '顾客投诉维修延误' });
      expect(res.status).toBe(201);
      expect(res.body.amount).toBe('1000.00');
    }
    await request(sys.requisitions.url)
      .put('/v1/parts/MT-01')
      .set(afterSales)
      .send({ name: '电机', listPrice: '707.50', costPrice: '500.00', effectiveFrom: '2026-01-01' })
      .expect(201);
    const may = await requisition('2026-05-06T02:00:00Z', false, [
      { partNo: 'MT-01', quantity: 1, purpose: 'WARRANTY' },
    ]);
    expect(may.charges).toMatchObject({ total: '707.50', toAllowance: '707.50' });
    jest.mocked(requisitionsClock.now).mockRestore();
    await consumed({ ComplaintRecorded: 4, RequisitionApproved: 3 });

    const q2 = await settle('2026-Q2');
    expect(q2).toMatchObject({ opening: '3295.00', closing: '-412.50' });
    expect(total(q2.lines, 'COMPLAINT_PENALTY')).toBe('-3000.00');
    expect(total(q2.lines, 'PARTS_CHARGE')).toBe('-707.50');
    // R-REP-4: Q2 has no reports and no cards: nothing accrues, and no other line moves the balance.
    expect(
      q2.lines
        .filter((l: any) => l.affectsBalance && l.amount !== '0.00')
        .map((l: any) => l.kind)
        .sort(),
    ).toEqual(['COMPLAINT_PENALTY', 'COMPLAINT_PENALTY', 'COMPLAINT_PENALTY', 'PARTS_CHARGE']);
    const posted = await approveAndPost(q2.id);
    expect(posted.outcome).toEqual(workedExample.q2.outcome);

    // The ledger (read over HTTP): balanced; the fund is back at 0.00; receivable = 35.00 (Q1 invoiced) + 412.50 (Q2 deficit).
    const ledger = await request(sys.settlement.url)
      .get('/v1/ledger')
      .query({ dealer: 'D001', limit: 500 })
      .set(auditor)
      .expect(200);
    expect(ledger.body.nextCursor).toBeNull();
    const fen = (v: string) => BigInt(v.replace('.', ''));
    const sum = (pred: (e: any) => boolean, f: (e: any) => bigint) =>
      ledger.body.items.filter(pred).reduce((n: bigint, e: any) => n + f(e), 0n);
    expect(
      sum(
        () => true,
        (e) => fen(e.debit),
      ),
    ).toBe(
      sum(
        () => true,
        (e) => fen(e.credit),
      ),
    );
    expect(
      sum(
        (e) => e.account === 'dealer-fund:D001',
        (e) => fen(e.credit) - fen(e.debit),
      ),
    ).toBe(0n);
    expect(
      sum(
        (e) => e.account === 'receivable:D001',
        (e) => fen(e.debit) - fen(e.credit),
      ),
    ).toBe(44750n);
    // Each account's running balance after its newest entry (items are newest first): the same sums.
    const newest = (account: string) => ledger.body.items.find((e: any) => e.account === account).runningBalance;
    expect([newest('dealer-fund:D001'), newest('receivable:D001')]).toEqual(['0.00', '447.50']);

    const q3 = await settle('2026-Q3');
    expect(q3.opening).toBe('0.00');
  });

  /** Starts a what-if simulation of D001 over 2026-Q1..Q3 as finance and waits until it is done; returns it and its results. */
  async function simulate(terms: Record<string, unknown>): Promise<[any, any[]]> {
    const body = { dealerCodes: ['D001'], fromQuarter: '2026-Q1', toQuarter: '2026-Q3', terms };
    await request(sys.settlement.url).post('/v1/simulations').set(dealerD001).send(body).expect(403);
    const started = await request(sys.settlement.url).post('/v1/simulations').set(financeA).send(body).expect(202);
    const done = await eventually(async () => {
      const res = await request(sys.settlement.url).get(`/v1/simulations/${started.body.id}`).set(auditor).expect(200);
      return res.body.status === 'RUNNING' ? undefined : res.body;
    }, 60_000);
    expect(done).toMatchObject({ status: 'DONE', dealersTotal: 1, dealersDone: 1, errors: [] });
    const results = await request(sys.settlement.url)
      .get(`/v1/simulations/${done.id}/results`)
      .set(auditor)
      .expect(200);
    return [done, results.body.items];
  }

  it('9. settlement: a what-if with the agreement’s own terms reproduces every statement to the fen; 18.00 per card adds 924.00 to Q1, carried into Q2', async () => {
    const agreements = await request(sys.dealers.url).get('/v1/dealers/D001/agreements').set(financeA).expect(200);
    const terms = agreements.body.at(-1).terms;
    const statements = await request(sys.settlement.url)
      .get('/v1/statements')
      .query({ dealer: 'D001' })
      .set(auditor)
      .expect(200);
    const stored = new Map(statements.body.items.map((s: any) => [s.quarter, s]));

    const [same, sameResults] = await simulate(terms);
    expect(
      sameResults.map((r) => [r.quarter, r.statementStatus, r.actualClosing, r.simulatedClosing, r.difference]),
    ).toEqual(
      ['2026-Q1', '2026-Q2', '2026-Q3'].map((q) => {
        const s: any = stored.get(q);
        return [q, s.status, s.closing, s.closing, '0.00'];
      }),
    );
    expect(sameResults.every((r) => r.changedLines.length === 0)).toBe(true);
    expect(same.totals.map((t: any) => t.difference)).toEqual(['0.00', '0.00', '0.00']);

    // Q1: 328 EB-100 cards × 3.00 more = 984.00; 2 falsified cards × 10 × 3.00 more penalty = −60.00.
    const [higher, [q1, q2]] = await simulate({ ...terms, unitRate: '18.00' });
    expect(q1).toMatchObject({ actualClosing: '3295.00', simulatedClosing: '4219.00', difference: '924.00' });
    expect(
      q1.changedLines
        .filter((l: any) => l.kind === 'ALLOWANCE_ACCRUAL')
        .map((l: any) => [l.ruleId, l.period, l.difference]),
    ).toEqual([
      ['R-SET-3', '2026-01', '300.00'],
      ['R-SET-3', '2026-02', '240.00'],
      ['R-SET-3', '2026-03', '444.00'],
    ]);
    expect(q2.simulatedOpening).toBe('4219.00');
    const q2Lines = q2.changedLines.reduce((n: bigint, l: any) => n + BigInt(l.difference.replace('.', '')), 0n);
    expect(BigInt(q2.difference.replace('.', ''))).toBe(92400n + q2Lines);
    expect(higher.totals[0]).toMatchObject({ quarter: '2026-Q1', difference: '924.00', dealersChanged: 1 });
    const xlsx = await request(sys.settlement.url)
      .get(`/v1/simulations/${higher.id}/export.xlsx`)
      .set(auditor)
      .expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });
});
