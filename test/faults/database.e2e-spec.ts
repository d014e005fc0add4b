import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { eventually, RunningService } from '@app/testing';
import {
  acceptedCards,
  call,
  CardFlow,
  cards,
  eventAccount,
  FINANCE,
  healthStatus,
  seedCardDealer,
  sleep,
  sqlClient,
  startCardFlow,
  submitUntilDone,
  Submission,
  TEST_CLIENT_NAME,
  untilCounted,
} from '../support/fault-kit';

jest.setTimeout(300_000);

/**
 * The database drops every connection of dealers and settlement again and again while dealers
 * submit card batches and finance records collections. Clients get 503 (with Retry-After) or
 * success, never 500; a retry with the same key finishes every batch exactly once; no key stays
 * blocked; the services recover without a restart; settlement counts exactly what was accepted.
 */
describe('fault: the database drops its connections under load', () => {
  let flow: CardFlow;
  let dealers: RunningService;
  let settlement: RunningService;
  let dealersDb: Client;
  let settlementDb: Client;
  let admin: Client;

  beforeAll(async () => {
    flow = await startCardFlow('fault_db');
    ({ dealers, dealersDb, settlementDb } = flow);
    settlement = flow.settlement!;
    admin = await sqlClient(flow.databases[0].url);
  });

  afterAll(async () => {
    await admin?.end();
    await flow?.stop();
  });

  it('pg_terminate_backend under load: 503 or success, nothing lost or doubled, no stuck key', async () => {
    const codes = ['T001', 'T002', 'T003'];
    for (const code of codes) await seedCardDealer(dealers.url, code);
    await eventually(async () => {
      const known = await call('GET', `${settlement.url}/v1/dealer-directory/T003`, FINANCE);
      return !(known instanceof Error) && known.status === 200 ? true : undefined;
    }, 60_000);

    let loading = true;
    const submissions: Submission[] = [];
    const collections: Array<{ reference: string; statuses: number[] }> = [];
    const cardWorker = async (w: number): Promise<void> => {
      for (let i = 0; loading; i++) {
        const dealer = codes[(w + i) % codes.length];
        submissions.push(
          await submitUntilDone(
            [dealers.url],
            dealer,
            cards(`DB${w}X${String(i).padStart(4, '0')}`, 20, dealer),
            `db-${w}-${i}`,
          ),
        );
      }
    };
    const collectionWorker = async (): Promise<void> => {
      for (let i = 0; loading; i++) {
        const reference = `ERP-DB-${i}`;
        const statuses: number[] = [];
        for (;;) {
          const r = await call(
            'POST',
            `${settlement.url}/v1/collections`,
            FINANCE,
            { reference, dealerCode: 'T001', valueDate: '2026-01-15', amount: '100.00' },
            { 'idempotency-key': `col-${i}` },
          );
          statuses.push(r instanceof Error ? 0 : r.status);
          if (
            !(r instanceof Error) &&
            r.status !== 503 &&
            !(r.status === 409 && /in-progress/.test(String(r.body?.type)))
          )
            break;
          await sleep(r instanceof Error ? 250 : Math.min(2000, Number(r.retryAfter ?? '1') * 1000));
        }
        collections.push({ reference, statuses });
      }
    };
    const workers = [...[0, 1, 2, 3].map(cardWorker), collectionWorker()];

    await sleep(2000);
    let terminated = 0;
    const healthDuring: number[] = [];
    const faultStart = Date.now();
    while (Date.now() - faultStart < 8000) {
      for (const db of flow.databases) {
        const rows = (
          await admin.query(
            `SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE datname = $1 AND application_name <> $2`,
            [db.name, TEST_CLIENT_NAME],
          )
        ).rows;
        terminated += rows.filter((r: { t: boolean }) => r.t).length;
      }
      healthDuring.push(await healthStatus(dealers.url));
      await sleep(300);
    }
    const faultEnd = Date.now();
    await sleep(2000);
    loading = false;
    await Promise.all(workers);

    const allStatuses = submissions.flatMap((s) => s.statuses).concat(collections.flatMap((c) => c.statuses));
    expect(terminated).toBeGreaterThan(20);
    expect(allStatuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(allStatuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    // Every batch finished (no key left blocked) and was decided once.
    const unfinished = submissions.filter((s) => !(s.final.status === 201 && s.final.body.accepted === 20));
    expect(unfinished.map((s) => ({ key: s.key, statuses: s.statuses, body: s.final.body }))).toEqual([]);
    expect(collections.every((c) => [200, 201].includes(c.statuses.at(-1)!))).toBe(true);

    const accepted = await acceptedCards(dealersDb);
    expect(accepted).toBe(submissions.length * 20);
    const keys = (await dealersDb.query(`SELECT count(*)::int AS n FROM idempotency_records WHERE key LIKE 'db-%'`))
      .rows[0].n;
    expect(keys).toBe(submissions.length);
    const recorded = (
      await settlementDb.query(`SELECT count(*)::int AS n FROM collections WHERE reference LIKE 'ERP-DB-%'`)
    ).rows[0].n;
    expect(recorded).toBe(collections.length);

    await untilCounted(settlementDb, accepted, 120_000, 250);
    const account = await eventAccount(dealersDb, settlementDb, Topics.dealers, 'settlement');
    expect(account.applied + account.deadLettered).toBe(account.published);
    expect(account.deadLettered).toBe(0);
    // Recovered without a restart.
    await eventually(
      async () =>
        (await healthStatus(dealers.url)) === 200 && (await healthStatus(settlement.url)) === 200 ? true : undefined,
      60_000,
    );
    const histogram: Record<number, number> = {};
    for (const s of allStatuses) histogram[s] = (histogram[s] ?? 0) + 1;
    process.stdout.write(
      `[fault: pg_terminate_backend] ${terminated} backends terminated over ${faultEnd - faultStart} ms; statuses ${JSON.stringify(histogram)} (0 = connection error); ` +
        `dealers /health during the fault: ${healthDuring.filter((s) => s === 503).length}×503 of ${healthDuring.length}; ` +
        `batches ${submissions.length}, accepted ${accepted} = counted; collections ${collections.length} = recorded ${recorded}; events ${account.published} = applied ${account.applied} + dead-lettered ${account.deadLettered}\n`,
    );
  });
});
