import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { eventually, freePort, MockBroker, RunningService, startMockBroker, TestDatabase } from '@app/testing';
import { SettlementAppModule } from '../../apps/settlement/src/settlement-app.module';
import {
  acceptedCards,
  call,
  cards,
  dealerToken,
  eventAccount,
  MONTH,
  seedCardDealer,
  sleep,
  sqlClient,
  submitUntilDone,
  Submission,
  untilCounted,
} from '../support/fault-kit';
import { createTestDatabases, startServiceOn } from '../support/in-process-service';
import { ServiceProcess, startServiceProcess } from '../support/service-process';

jest.setTimeout(600_000);

/**
 * kill -9 of services: dealers (a child process) while a card batch is inside its transaction
 * and right after it committed; then two instances each of dealers and settlement with one of
 * each killed mid-stream. A client retries with the same Idempotency-Key, as a dealer's software
 * does; every batch must take effect exactly once and settlement must count exactly those cards.
 */
describe('fault: services killed mid-request and mid-stream', () => {
  let broker: MockBroker;
  let dbs: TestDatabase[] = [];
  let dealersDb: Client;
  let settlementDb: Client;
  const ports = { dealers: 0, dealers2: 0, settlement: 0, settlement2: 0 };
  let feeds = '';
  const processes: ServiceProcess[] = [];
  let settlement: RunningService | undefined;

  const startDealers = async (port = ports.dealers): Promise<ServiceProcess> => {
    const p = await startServiceProcess('dealers', {
      databaseUrl: dbs[0].url,
      brokers: broker.brokers,
      port,
      env: { EVENT_FEED_URLS: feeds },
    });
    processes.push(p);
    return p;
  };
  const startSettlementProcess = async (port: number): Promise<ServiceProcess> => {
    const p = await startServiceProcess('settlement', {
      databaseUrl: dbs[1].url,
      brokers: broker.brokers,
      port,
      env: { EVENT_FEED_URLS: feeds, EVENT_GAP_CHECK_MS: '2000' },
    });
    processes.push(p);
    return p;
  };

  beforeAll(async () => {
    broker = await startMockBroker();
    dbs = await createTestDatabases('fault_crash', ['dealers', 'settlement']);
    for (const k of Object.keys(ports) as Array<keyof typeof ports>) ports[k] = await freePort();
    // Consumers read dealers' feed through the instance that is never killed.
    feeds = `dealers=http://127.0.0.1:${ports.dealers},settlement=http://127.0.0.1:${ports.settlement2}`;
    dealersDb = await sqlClient(dbs[0].url);
    settlementDb = await sqlClient(dbs[1].url);
  });

  afterAll(async () => {
    await settlement?.close();
    await Promise.allSettled(processes.map((p) => p.stop()));
    await Promise.allSettled([dealersDb?.end(), settlementDb?.end()]);
    await broker?.stop();
    await Promise.allSettled(dbs.map((d) => d.drop()));
  });

  const postBatch = (url: string, dealer: string, batch: unknown[], key: string) =>
    call(
      'POST',
      `${url}/v1/dealers/${dealer}/reports/${MONTH}/warranty-cards`,
      dealerToken(dealer),
      { cards: batch },
      { 'idempotency-key': key },
    );

  it('kill -9 while the batch waits inside its transaction: the retry with the same key runs it once, a further retry replays the answer', async () => {
    let dealers = await startDealers();
    settlement = await startServiceOn(
      'settlement',
      (c) => SettlementAppModule.register(c),
      dbs[1],
      broker,
      ports.settlement2,
      {
        EVENT_FEED_URLS: feeds,
      },
    );
    await seedCardDealer(dealers.url, 'K001');
    const batch = cards('KILL1', 200, 'K001');

    // The batch's transaction waits for the dealer row this session holds.
    const blocker = await sqlClient(dbs[0].url);
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM dealers WHERE code = 'K001' FOR UPDATE`);
    const pending = postBatch(dealers.url, 'K001', batch, 'kill-in-flight');
    await eventually(
      async () => {
        const rows = (
          await blocker.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'dealers' AND wait_event_type = 'Lock'`,
          )
        ).rows;
        return rows.length > 0 ? true : undefined;
      },
      60_000,
      50,
    );
    await dealers.kill();
    await blocker.query('ROLLBACK');
    await blocker.end();
    const lost = await pending;
    expect(lost).toBeInstanceOf(Error);
    expect(await acceptedCards(dealersDb)).toBe(0);

    dealers = await startDealers();
    const retry = await postBatch(dealers.url, 'K001', batch, 'kill-in-flight');
    if (retry instanceof Error) throw retry;
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBe(false);
    expect(retry.body).toMatchObject({ accepted: 200, rejected: 0 });
    const again = await postBatch(dealers.url, 'K001', batch, 'kill-in-flight');
    if (again instanceof Error) throw again;
    expect(again).toMatchObject({ status: 201, replayed: true });
    expect(again.body).toEqual(retry.body);
    expect(await acceptedCards(dealersDb)).toBe(200);
    await untilCounted(settlementDb, 200, 60_000);
    process.stdout.write(
      `[fault: kill -9 in the transaction] first request: ${lost instanceof Error ? lost.message : lost}; retry 201 fresh (200 accepted); next retry 201 replayed, same body; accepted 200 = counted 200\n`,
    );
  });

  it('kill -9 right after the batch committed: the retry gets the committed answer, nothing runs twice', async () => {
    const dealers = processes.filter((p) => p.name === 'dealers').at(-1)!;
    const batch = cards('KILL2', 300, 'K001');
    const pending = postBatch(dealers.url, 'K001', batch, 'kill-after-commit');
    // The answer is stored in the batch's own transaction: once it is visible, the batch is committed.
    await eventually(
      async () => {
        const rows = (await dealersDb.query(`SELECT 1 FROM idempotency_records WHERE key = 'kill-after-commit'`)).rows;
        return rows.length > 0 ? true : undefined;
      },
      60_000,
      2,
    );
    await dealers.kill();
    const first = await pending;

    const restarted = await startDealers();
    const retry = await postBatch(restarted.url, 'K001', batch, 'kill-after-commit');
    if (retry instanceof Error) throw retry;
    expect(retry).toMatchObject({ status: 201, replayed: true });
    expect(retry.body).toMatchObject({ accepted: 300, rejected: 0 });
    if (!(first instanceof Error)) expect(first.body).toEqual(retry.body);
    expect(await acceptedCards(dealersDb)).toBe(500);
    const batches = (
      await dealersDb.query(`SELECT count(*)::int AS n FROM warranty_card_batches WHERE dealer_code = 'K001'`)
    ).rows[0].n;
    expect(batches).toBe(2);
    await untilCounted(settlementDb, 500, 60_000);
    await settlement!.close();
    settlement = undefined;
    process.stdout.write(
      `[fault: kill -9 after commit] first request: ${first instanceof Error ? `lost (${first.message})` : `answered ${first.status}`}; retry 201 replayed with the committed answer; batches 2, accepted 500 = counted 500\n`,
    );
  });

  it('two instances each of dealers and settlement, one of each killed mid-stream: counted = accepted, events in = applied + dead-lettered', async () => {
    const dealersA = processes.filter((p) => p.name === 'dealers').at(-1)!;
    // Settlement B (on the port the feeds name) survives; A is killed.
    const [dealersB, settlementA] = await Promise.all([
      startDealers(ports.dealers2),
      startSettlementProcess(ports.settlement),
      startSettlementProcess(ports.settlement2),
    ]);
    for (const code of ['M001', 'M002', 'M003', 'M004']) await seedCardDealer(dealersA.url, code);

    let loading = true;
    const submissions: Submission[] = [];
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; loading; i++) {
        const dealer = `M00${(w % 4) + 1}`;
        // Clients alternate between the instances; a refused connection moves on to the other one.
        const urls = i % 2 === 0 ? [dealersB.url, dealersA.url] : [dealersA.url, dealersB.url];
        submissions.push(
          await submitUntilDone(
            urls,
            dealer,
            cards(`MS${w}X${String(i).padStart(4, '0')}`, 25, dealer),
            `multi-${w}-${i}`,
          ),
        );
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    await sleep(4000);
    await Promise.all([dealersB.kill(), settlementA.kill()]);
    const killedAt = submissions.length;
    await sleep(6000);
    loading = false;
    await Promise.all(workers);

    expect(submissions.length).toBeGreaterThan(killedAt);
    expect(submissions.every((s) => s.final.status === 201 && s.final.body.accepted === 25)).toBe(true);
    const interrupted = submissions.filter((s) => s.statuses.length > 1);
    const accepted = await acceptedCards(dealersDb);
    expect(accepted).toBe(500 + submissions.length * 25);
    const startedWait = Date.now();
    await untilCounted(settlementDb, accepted, 180_000, 250);
    const account = await eventAccount(dealersDb, settlementDb, Topics.dealers, 'settlement');
    expect(account.applied + account.deadLettered).toBe(account.published);
    expect(account.deadLettered).toBe(0);
    const duplicates = (
      await settlementDb.query(
        `SELECT count(*)::int AS n FROM (SELECT serial FROM card_facts GROUP BY serial HAVING count(*) > 1) d`,
      )
    ).rows[0].n;
    expect(duplicates).toBe(0);
    process.stdout.write(
      `[fault: two instances, one of each killed] batches ${submissions.length} (${interrupted.length} retried after a refused connection or 503, statuses ${[...new Set(interrupted.flatMap((s) => s.statuses))].join('/')}); ` +
        `accepted ${accepted} = counted; events ${account.published} = applied ${account.applied} + dead-lettered ${account.deadLettered}; settlement B caught up ${Date.now() - startedWait} ms after the load stopped\n`,
    );
  });
});
