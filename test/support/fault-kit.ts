import { Client } from 'pg';
import {
  agreementRequest,
  dealerRegistration,
  eventually,
  freePort,
  MockBroker,
  RunningService,
  startMockBroker,
  TestDatabase,
  testToken,
} from '@app/testing';
import { DealersAppModule } from '../../apps/dealers/src/dealers-app.module';
import { SettlementAppModule } from '../../apps/settlement/src/settlement-app.module';
import { createTestDatabases, startServiceOn } from './in-process-service';

/** What fault tests share: a dealer that earns per card, card batches, clients that retry like a dealer's software, and end-state counts. */

export const FINANCE = testToken('finance', undefined, 'finance-faults');
export const MONTH = '2026-01';
export const dealerToken = (code: string): string => testToken('dealer', code, `dealer-${code}`);

export interface Reply {
  status: number;
  body: any;
  replayed: boolean;
  retryAfter: string | null;
  contentType: string | null;
}

/** A request that resolves to the reply, or to the network error (a killed service). */
export async function call(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply | Error> {
  try {
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : null,
      replayed: res.headers.get('idempotent-replayed') === 'true',
      retryAfter: res.headers.get('retry-after'),
      contentType: res.headers.get('content-type'),
    };
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export async function expectOk(what: string, reply: Promise<Reply | Error>, ok: number[] = [200, 201]): Promise<Reply> {
  const r = await reply;
  if (r instanceof Error || !ok.includes(r.status))
    throw new Error(`${what}: ${r instanceof Error ? r.message : `${r.status} ${JSON.stringify(r.body)}`}`);
  return r;
}

/** Registers a dealer with a PER_CARD agreement from January and the card model (idempotent across calls). */
export async function seedCardDealer(dealersUrl: string, code: string): Promise<void> {
  await expectOk(
    `register ${code}`,
    call('POST', `${dealersUrl}/v1/dealers`, FINANCE, dealerRegistration({ code, name: `经销商 ${code}` })),
    [201, 409],
  );
  await expectOk(
    'model EB-100',
    call('PUT', `${dealersUrl}/v1/product-models/EB-100`, FINANCE, { name: '电动自行车 EB-100' }),
  );
  await expectOk(
    `agreement of ${code}`,
    call('POST', `${dealersUrl}/v1/dealers/${code}/agreements`, FINANCE, agreementRequest()),
    [201, 409],
  );
}

/** `n` valid cards of `outlet` with serials `<prefix>-000001…`, phones spread so none is reused. */
export function cards(prefix: string, n: number, outlet: string): Array<Record<string, string>> {
  return Array.from({ length: n }, (_, i) => ({
    serial: `${prefix}-${String(i + 1).padStart(6, '0')}`,
    model: 'EB-100',
    saleDate: '2026-01-10',
    outlet,
    consumerName: '张三',
    phone: `13${String(100_000_000 + ((i * 7919 + prefix.length * 104_729) % 900_000_000)).slice(0, 9)}`,
    address: '上海市浦东新区',
  }));
}

export interface Submission {
  key: string;
  final: Reply;
  /** Every status seen on the way (0 = network error). */
  statuses: number[];
}

/**
 * What a dealer's software does: send the batch with an Idempotency-Key and, on a network error,
 * a 503 or a 409 in progress, send it again with the same key (after Retry-After), trying the
 * given instances in turn. Anything else is final.
 */
export async function submitUntilDone(
  urls: string[],
  dealer: string,
  batch: unknown[],
  key: string,
  deadlineMs = 120_000,
): Promise<Submission> {
  const statuses: number[] = [];
  const end = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    const url = urls[attempt % urls.length];
    const r = await call(
      'POST',
      `${url}/v1/dealers/${dealer}/reports/${MONTH}/warranty-cards`,
      dealerToken(dealer),
      { cards: batch },
      { 'idempotency-key': key },
    );
    statuses.push(r instanceof Error ? 0 : r.status);
    const retry =
      r instanceof Error || r.status === 503 || (r.status === 409 && /in-progress/.test(String(r.body?.type)));
    if (!retry) return { key, final: r as Reply, statuses };
    if (Date.now() > end)
      throw new Error(`batch ${key} not done within ${deadlineMs} ms; statuses ${statuses.join(',')}`);
    const wait = r instanceof Error ? 250 : Math.min(2000, Number(r.retryAfter ?? '1') * 1000);
    await new Promise((res) => setTimeout(res, wait));
  }
}

/** Cards dealers accepted (its own table). */
export async function acceptedCards(dealersDb: Client): Promise<number> {
  const [row] = (await dealersDb.query(`SELECT count(*)::int AS n FROM warranty_cards WHERE status = 'ACCEPTED'`)).rows;
  return row.n;
}

/** Cards settlement counts (its projection). */
export async function countedCards(settlementDb: Client): Promise<number> {
  const [row] = (await settlementDb.query(`SELECT count(*)::int AS n FROM card_facts WHERE withdrawn_at IS NULL`)).rows;
  return row.n;
}

/** Waits until settlement has counted exactly `n` cards. */
export const untilCounted = (settlementDb: Client, n: number, timeoutMs: number, intervalMs?: number): Promise<true> =>
  eventually(async () => ((await countedCards(settlementDb)) === n ? true : undefined), timeoutMs, intervalMs);

/** Events a producer published on a topic, and what the consumer group made of them. */
export async function eventAccount(producerDb: Client, consumerDb: Client, topic: string, group: string) {
  const [{ published }] = (
    await producerDb.query(
      `SELECT count(*)::int AS published FROM outbox_messages WHERE topic = $1 AND published_at IS NOT NULL`,
      [topic],
    )
  ).rows;
  const [{ applied, dead }] = (
    await consumerDb.query(
      `SELECT count(*) FILTER (WHERE outcome = 'applied')::int AS applied, count(*) FILTER (WHERE outcome = 'dead-lettered')::int AS dead
         FROM inbox_processed_events WHERE consumer_group = $1 AND topic = $2`,
      [group, topic],
    )
  ).rows;
  return { published: published as number, applied: applied as number, deadLettered: dead as number };
}

/** The tests' own connections carry this application_name (a fault test that drops connections spares them). */
export const TEST_CLIENT_NAME = 'fault-test';

export async function sqlClient(url: string): Promise<Client> {
  const c = new Client({ connectionString: url, application_name: TEST_CLIENT_NAME });
  await c.connect();
  return c;
}

export async function healthStatus(url: string): Promise<number> {
  return fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) }).then(
    (r) => r.status,
    () => 0,
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Dealers and settlement in this process on a mock broker, each on a fresh database, feeding each other's gaps. */
export interface CardFlow {
  broker: MockBroker;
  dealers: RunningService;
  /** undefined while a test has it stopped. */
  settlement: RunningService | undefined;
  dealersDb: Client;
  settlementDb: Client;
  /** dealers', then settlement's. */
  databases: TestDatabase[];
  /** Starts settlement again on its port and database (after `settlement.close()`). */
  restartSettlement(): Promise<RunningService>;
  stop(): Promise<void>;
}

export async function startCardFlow(prefix: string, settlementEnv: Record<string, string> = {}): Promise<CardFlow> {
  const broker = await startMockBroker();
  const dbs = await createTestDatabases(prefix, ['dealers', 'settlement']);
  const [dealersPort, settlementPort] = [await freePort(), await freePort()];
  const EVENT_FEED_URLS = `dealers=http://127.0.0.1:${dealersPort},settlement=http://127.0.0.1:${settlementPort}`;
  const startSettlement = () =>
    startServiceOn('settlement', (c) => SettlementAppModule.register(c), dbs[1], broker, settlementPort, {
      EVENT_FEED_URLS,
      ...settlementEnv,
    });
  const [dealers, settlement] = await Promise.all([
    startServiceOn('dealers', (c) => DealersAppModule.register(c), dbs[0], broker, dealersPort, { EVENT_FEED_URLS }),
    startSettlement(),
  ]);
  const flow: CardFlow = {
    broker,
    dealers,
    settlement,
    dealersDb: await sqlClient(dbs[0].url),
    settlementDb: await sqlClient(dbs[1].url),
    databases: dbs,
    restartSettlement: async () => (flow.settlement = await startSettlement()),
    stop: async () => {
      await Promise.allSettled([flow.settlement?.close(), dealers.close()]);
      await Promise.allSettled([flow.dealersDb.end(), flow.settlementDb.end()]);
      await broker.stop();
      await Promise.allSettled(dbs.map((d) => d.drop()));
    },
  };
  return flow;
}
