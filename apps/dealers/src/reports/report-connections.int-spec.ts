import request from 'supertest';
import { Clock } from '@app/platform';
import { bearer, people, RunningService, ServiceUnderTest } from '@app/testing';
import { registerDealers, startDealersService } from '../dealers.test-support';

const DEALERS = ['P001', 'P002', 'P003', 'P004', 'P005', 'P006', 'P007', 'P008'];
const POOL_SIZE = 3;

/**
 * A submission holds the audit chain's head from its audit entry to its commit, and other writers
 * wait for it holding their connections. Work of the submission on a second connection would then
 * wait for a pool that those writers hold: nothing moves until the pool gives up (503).
 */
describe('monthly report submissions on a pool smaller than the writers (R-REP-1)', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;

  beforeAll(async () => {
    stack = await startDealersService('int_report_pool', {
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      DATABASE_CONNECT_TIMEOUT_MS: '3000',
    });
    svc = stack.svc;
    jest.spyOn(svc.app.get(Clock, { strict: false }), 'now').mockReturnValue(new Date('2026-02-02T04:00:00Z'));
    await registerDealers(svc.url, people.finance, DEALERS);
    await request(svc.url).put('/v1/product-models/EB-100').set(people.finance).send({ name: 'EB-100' }).expect(201);
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('every submission of many dealers at once is stored, each on one connection', async () => {
    const submit = (code: string, round: number) =>
      request(svc.url)
        .put(`/v1/dealers/${code}/reports/2026-01/sales`)
        .set(bearer('dealer', code))
        .send({ lines: [{ outlet: code, model: 'EB-100', units: round + 1, amount: '1999.00' }] });
    const answers = await Promise.all([0, 1, 2].flatMap((round) => DEALERS.map((code) => submit(code, round))));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const { rows } = await stack!.sql.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'monthly-report.submitted'`,
    );
    expect(rows[0].n).toBe(DEALERS.length * 3);
  }, 30_000);
});
