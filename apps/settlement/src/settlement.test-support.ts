import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Topics } from '@app/contracts';
import { dec, formatMoney } from '@app/kernel';
import { eventually, people, workedExampleTerms } from '@app/testing';
import type { KafkaProbe } from '@app/testing';

/** Setup shared by the settlement integration suites (their assertions stay in the suites). */

/** Starts a settlement run of `quarter` as `who` and waits until it is no longer RUNNING; returns the run. */
export async function runQuarterUntilDone(
  url: string,
  quarter: string,
  who: { Authorization: string },
  timeoutMs: number,
): Promise<any> {
  const started = await request(url).post(`/v1/settlements/${quarter}/runs`).set(who).expect(202);
  return eventually(async () => {
    const res = await request(url)
      .get(`/v1/settlements/${quarter}/runs/${started.body.id}`)
      .set(people.auditorCarol)
      .expect(200);
    return res.body.status === 'RUNNING' ? undefined : res.body;
  }, timeoutMs);
}

/** The statements of `dealer` for `quarter`, as the auditor lists them. */
export async function listStatementsOf(url: string, dealer: string, quarter: string): Promise<Array<{ id: string }>> {
  const list = await request(url)
    .get(`/v1/settlements/${quarter}/statements`)
    .query({ dealer })
    .set(people.auditorCarol)
    .expect(200);
  return list.body.items;
}

/** One statement with its lines, as the auditor reads it. */
export async function readStatement(url: string, id: string): Promise<any> {
  return (await request(url).get(`/v1/statements/${id}`).set(people.auditorCarol).expect(200)).body;
}

/** The figures of a SALES monthly report in which nothing is short: 100 sold, 10 of 10 satisfied, 1 callback of 4 repairs. */
export const SALES_REPORT_FIGURES = {
  unitsSold: 100,
  surveyed: 10,
  satisfied: 10,
  repairs: 4,
  callbacks: 1,
  callbacksBelowMinimum: false,
} as const;

/** One R-RET-4 charge of a closed return. */
export const returnCharge = (kind: string, payer: string, amount: string, detail: string) => ({
  ruleId: 'R-RET-4',
  kind,
  payer,
  amount,
  detail,
});

/** The MonthlyReportSubmitted payload of an on-time SALES report of `month` in which nothing is short. */
export function salesReportPayload(dealer: string, month: string) {
  const [y, m] = month.split('-').map(Number);
  return {
    dealerCode: dealer,
    month,
    part: 'SALES',
    partVersion: 1,
    firstSubmittedAt: new Date(Date.UTC(y, m, 1, 2)).toISOString(),
    dueAt: new Date(Date.UTC(y, m, 2, 15, 59, 59)).toISOString(),
    onTime: true,
    ...SALES_REPORT_FIGURES,
  };
}

/** Publishes an on-time SALES report of each month for `dealer` (salesReportPayload). */
export async function publishSalesReports(probe: KafkaProbe, dealer: string, months: readonly string[]): Promise<void> {
  for (const month of months)
    await probe.publishEvent(Topics.dealers, 'MonthlyReportSubmitted', dealer, salesReportPayload(dealer, month));
}

/** GET `path` as `who`, the body kept as a Buffer (PDF, XLSX, CSV). */
export const download = (url: string, path: string, who: { Authorization: string }) =>
  request(url)
    .get(path)
    .set(who)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

/**
 * Publishes one accepted batch of `n` warranty cards of `model` sold in `month` by `dealer`; returns the
 * batch's serial prefix (serials are `<prefix>-<i>`).
 */
export async function publishCards(
  probe: KafkaProbe,
  dealer: string,
  month: string,
  n: number,
  model = 'EB-100',
): Promise<string> {
  const prefix = randomUUID().slice(0, 8).toUpperCase();
  await probe.publishEvent(Topics.dealers, 'WarrantyCardsAccepted', dealer, {
    dealerCode: dealer,
    reportMonth: month,
    batchId: randomUUID(),
    cards: Array.from({ length: n }, (_, i) => ({
      serial: `${prefix}-${i}`,
      model,
      saleDate: `${month}-05`,
      outlet: 'X',
      flags: [],
    })),
  });
  return prefix;
}

/** Publishes one event of DOMAIN §8's worked example (dealer D001) through `publish`. */
export type PublishFact = (topic: string, type: string, payload: Record<string, unknown>) => Promise<void>;

const workedExampleCards = (month: string, n: number, model = 'EB-100') =>
  Array.from({ length: n }, (_, i) => ({
    serial: `${month}-${model}-${i}`,
    model,
    saleDate: `${month}-05`,
    outlet: 'D001',
    flags: [],
  }));

/** A RequisitionApproved of D001 with warranty lines [partNo, partName, quantity, listPrice] charged to the allowance. */
function workedExampleRequisition(
  publish: PublishFact,
  approvedOn: string,
  lines: Array<[string, string, number, string]>,
  urgentFreightDifference: string | null = null,
): Promise<void> {
  return publish(Topics.requisitions, 'RequisitionApproved', {
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
}

/** The worked example's cards of Q1 (100 + 20 EB-200, 80, 150) and the two falsified ones of March. */
async function publishWorkedExampleCards(publish: PublishFact): Promise<void> {
  const dealersEvent = (type: string, payload: Record<string, unknown>) =>
    publish(Topics.dealers, type, { dealerCode: 'D001', ...payload });
  const batches: Array<[string, ReturnType<typeof workedExampleCards>]> = [
    ['2026-01', [...workedExampleCards('2026-01', 100), ...workedExampleCards('2026-01', 20, 'EB-200')]],
    ['2026-02', workedExampleCards('2026-02', 80)],
    ['2026-03', workedExampleCards('2026-03', 150)],
  ];
  for (const [reportMonth, cards] of batches)
    await dealersEvent('WarrantyCardsAccepted', { reportMonth, batchId: randomUUID(), cards });
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
}

/** The worked example's requisitions, returns and complaint of Q1, and the large parts charge of Q2. */
async function publishWorkedExampleCharges(publish: PublishFact): Promise<void> {
  await workedExampleRequisition(publish, '2026-01-15', [['BP-01', 'brake pad', 10, '12.50']]);
  await workedExampleRequisition(publish, '2026-02-10', [['CT-01', 'controller', 2, '180.00']], '35.00');
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
  await publish(Topics.dealers, 'ComplaintRecorded', {
    dealerCode: 'D001',
    complaintId: randomUUID(),
    reference: 'CP-1',
    date: '2026-02-20',
    amount: '1000.00',
    description: 'rude technician',
  });
  // Q2: no cards, one large parts charge so that Q2 closes at −412.50 (3,295.00 − 3,707.50).
  await workedExampleRequisition(publish, '2026-05-06', [['MT-01', 'motor', 1, '3707.50']]);
}

/** The terms of the worked example's agreement (DOMAIN §8). */
export const WORKED_EXAMPLE_TERMS = workedExampleTerms({
  missedReportPenaltyPercent: '10',
  excellenceAwardPercent: '50',
});

/**
 * DOMAIN §8's worked example for D001 as the producers' events: registration, the agreement from
 * 2026-01-01, on-time reports of 2026-01 to 2026-06, cards, falsified cards, requisitions, returns,
 * a complaint, and the large Q2 parts charge (Q1 closes at 3,295.00, Q2 at −412.50).
 */
export async function publishWorkedExample(publish: PublishFact): Promise<void> {
  await publish(Topics.dealerRegistry, 'DealerRegistered', {
    code: 'D001',
    name: 'Dealer D001',
    region: null,
    status: 'ACTIVE',
  });
  await publish(Topics.dealerRegistry, 'AgreementVersionSet', {
    dealerCode: 'D001',
    version: 1,
    effectiveFrom: '2026-01-01',
    terms: WORKED_EXAMPLE_TERMS,
  });
  for (const month of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'])
    await publish(Topics.dealers, 'MonthlyReportSubmitted', salesReportPayload('D001', month));
  await publishWorkedExampleCards(publish);
  await publishWorkedExampleCharges(publish);
}
