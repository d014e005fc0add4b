import request from 'supertest';
import { eventually, people } from '@app/testing';

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
