import request from 'supertest';
import { eventually } from '@app/testing';
import type { TestSystem } from './system';

type Caller = { Authorization: string };

/**
 * Runs `quarter` as `runBy` (a finance user), waits for the run to finish without errors and returns
 * the dealer's draft statement as `readBy` reads it.
 */
export async function settleQuarter(
  sys: TestSystem,
  quarter: string,
  who: { runBy: Caller; readBy: Caller; dealer: string },
): Promise<any> {
  const run = await request(sys.settlement.url).post(`/v1/settlements/${quarter}/runs`).set(who.runBy).expect(202);
  const done = await eventually(async () => {
    const res = await request(sys.settlement.url)
      .get(`/v1/settlements/${quarter}/runs/${run.body.id}`)
      .set(who.runBy)
      .expect(200);
    return res.body.status === 'RUNNING' ? undefined : res.body;
  }, 60_000);
  expect(done).toMatchObject({ status: 'DONE', errors: [] });
  const list = await request(sys.settlement.url)
    .get(`/v1/settlements/${quarter}/statements`)
    .query({ dealer: who.dealer })
    .set(who.readBy)
    .expect(200);
  expect(list.body.items).toHaveLength(1);
  return (await request(sys.settlement.url).get(`/v1/statements/${list.body.items[0].id}`).set(who.readBy).expect(200))
    .body;
}
