import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Topics } from '@app/contracts';
import { eventually, people } from '@app/testing';
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
