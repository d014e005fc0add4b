import 'reflect-metadata';
import { defineEvent, EventEnvelope } from '@app/contracts';
import {
  eventually,
  freePort,
  messagingTestModule,
  MockBroker,
  quietTestLogger,
  startMessagingSuite,
  TestDatabase,
} from '@app/testing';
import { Injectable, Module, OnModuleInit, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { IsIn, IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { EventConsumer, MessagingHealthIndicator, MessagingMetrics, MessagingService, OutboxService } from '.';
import { EventReplayService } from './event-feed/event-replay.service';
import { partitionOfKey } from './kafka-clients';

jest.setTimeout(90_000);

const quietLogger = quietTestLogger();

const RUN = randomUUID().slice(0, 8);
const SERVICE = `gaptest-${RUN}`;
const TOPIC = `${SERVICE}.events.v1`;
/** The mock broker creates topics with 4 partitions. */
const PARTITIONS = 4;

type Mode = 'ok' | 'overflow' | 'outage' | 'flaky';
class GapProbePayload {
  @IsString() ref!: string;
  @IsIn(['ok', 'overflow', 'outage', 'flaky']) mode!: Mode;
}
const GapProbe = defineEvent({ type: 'test.gap-probe', version: 1, topic: TOPIC, payload: GapProbePayload });

class GapEffects1767225700001 implements MigrationInterface {
  name = 'GapEffects1767225700001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE gap_effects (id serial PRIMARY KEY, ref text NOT NULL, dealer_code text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gap_effects`);
  }
}

const calls = new Map<string, number>();
let flakyFails = true;

@Injectable()
class GapProbeHandler implements OnModuleInit {
  constructor(private readonly messaging: MessagingService) {}
  onModuleInit(): void {
    this.messaging.handle(GapProbe, async (envelope: EventEnvelope<GapProbePayload>, em) => {
      const { ref, mode } = envelope.payload;
      const n = (calls.get(ref) ?? 0) + 1;
      calls.set(ref, n);
      if (mode === 'overflow') await em.query(`SELECT 12345678.90::numeric(5,2)`);
      if (mode === 'outage' && n <= 4)
        throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      if (mode === 'flaky' && flakyFails) throw new Error(`probe ${ref} fails until fixed`);
      await em.query(`INSERT INTO gap_effects (ref, dealer_code) VALUES ($1, $2)`, [ref, envelope.dealerCode]);
    });
  }
}

@Module({ providers: [GapProbeHandler] })
class GapProbeModule {}

/** Polls until `condition` holds (`what` names it in the timeout message). */
const waitFor = (what: string, condition: () => Promise<boolean>, timeoutMs = 40_000) =>
  eventually(async () => ((await condition()) ? true : undefined), timeoutMs, 100).catch((err: Error) => {
    throw new Error(`${what}: ${err.message}`);
  });

describe('event sequences, gaps and the event feed (PostgreSQL, mock broker, HTTP feed)', () => {
  let db: TestDatabase;
  let broker: MockBroker;
  let moduleRef: TestingModule;
  let app: NestFastifyApplication;
  let url: string;
  let dataSource: DataSource;
  let outbox: OutboxService;
  let consumer: EventConsumer;

  const enqueue = (events: Array<{ ref: string; dealer: string; mode?: Mode }>) =>
    dataSource.transaction((em) =>
      outbox.enqueue(
        em,
        events.map(({ ref, dealer, mode }) => ({
          definition: GapProbe,
          dealerCode: dealer,
          payload: { ref, mode: mode ?? 'ok' },
        })),
      ),
    );

  /**
   * What the broker loses: rows numbered and marked published exactly as the relay does it, but
   * never sent. Holds the relay's lock, so the relay cannot pick them up first.
   */
  const publishedButLost = (events: Array<{ ref: string; dealer: string }>) =>
    dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [0x4f425852, SERVICE]);
      const envelopes = await outbox.enqueue(
        em,
        events.map(({ ref, dealer }) => ({
          definition: GapProbe,
          dealerCode: dealer,
          payload: { ref, mode: 'ok' as const },
        })),
      );
      const seqs: number[] = [];
      for (const env of envelopes) {
        const partition = partitionOfKey(env.dealerCode, PARTITIONS);
        const [row] = await em.query(
          `INSERT INTO outbox_sequences (topic, partition, last_seq) VALUES ($1, $2, 1)
           ON CONFLICT (topic, partition) DO UPDATE SET last_seq = outbox_sequences.last_seq + 1 RETURNING last_seq`,
          [TOPIC, partition],
        );
        await em.query(
          `UPDATE outbox_messages SET partition = $2, seq = $3, seq_batch = nextval('outbox_seq_batch'), published_at = now(), attempts = 1 WHERE event_id = $1`,
          [env.eventId, partition, row.last_seq],
        );
        seqs.push(Number(row.last_seq));
      }
      return seqs;
    });

  const applied = (ref: string) => waitFor(`effect ${ref}`, async () => (await effectOrder([ref])).length > 0);
  const effectOrder = async (refs: string[]): Promise<string[]> =>
    (await dataSource.query(`SELECT ref FROM gap_effects WHERE ref = ANY($1) ORDER BY id`, [refs])).map(
      (r: { ref: string }) => r.ref,
    );
  const gapsOf = async (dealer: string) =>
    dataSource.query(`SELECT g.* FROM consumer_gaps g WHERE partition = $1 ORDER BY id`, [
      partitionOfKey(dealer, PARTITIONS),
    ]);
  const health = () => moduleRef.get(MessagingHealthIndicator).check();

  beforeAll(async () => {
    [db, broker] = await startMessagingSuite('gaps', quietLogger);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    moduleRef = await messagingTestModule({
      databaseUrl: db.url,
      migrations: [GapEffects1767225700001],
      messaging: {
        serviceName: SERVICE,
        brokers: broker.brokers,
        idempotentProducer: false,
        relayPollMs: 500,
        retry: { attempts: 3, initialDelayMs: 50 },
        consumerRestart: { attempts: 2, initialDelayMs: 200 },
        onFatal: () => undefined,
        // The service feeds itself: it is the producer of the topic it consumes.
        eventFeed: { sources: { [SERVICE]: url }, token: () => undefined },
        gapCheckMs: 1000,
        gapGraceMs: 500,
      },
      imports: [GapProbeModule],
    })
      .setLogger(quietLogger)
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: quietLogger });
    app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true }));
    await app.listen({ port, host: '127.0.0.1' });
    dataSource = moduleRef.get(DataSource);
    outbox = moduleRef.get(OutboxService);
    consumer = moduleRef.get(EventConsumer);
    await enqueue([{ ref: 'warm-up', dealer: 'W001' }]);
    await waitFor('warm-up', async () => (await effectOrder(['warm-up'])).length === 1, 60_000);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await broker?.stop();
    await db?.drop();
  }, 60_000);

  it('numbers each partition without gaps, in order, and consumers record the numbers', async () => {
    const dealers = ['N001', 'N002', 'N003', 'N004', 'N005'];
    const events = dealers.flatMap((dealer) => [1, 2, 3].map((i) => ({ ref: `n-${dealer}-${i}`, dealer })));
    await enqueue(events);
    for (const e of events) await applied(e.ref);
    const rows: Array<{ message_key: string; partition: number; seq: string; id: string }> = await dataSource.query(
      `SELECT message_key, partition, seq, id FROM outbox_messages WHERE topic = $1 ORDER BY partition, seq`,
      [TOPIC],
    );
    for (const r of rows) expect(r.partition).toBe(partitionOfKey(r.message_key, PARTITIONS));
    for (let p = 0; p < PARTITIONS; p++) {
      const seqs = rows.filter((r) => r.partition === p).map((r) => Number(r.seq));
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      const ids = rows.filter((r) => r.partition === p).map((r) => BigInt(r.id));
      expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    }
    const inbox: Array<{ topic: string; partition: number; seq: string; outcome: string }> = await dataSource.query(
      `SELECT i.topic, i.partition, i.seq, i.outcome FROM inbox_processed_events i JOIN outbox_messages o ON o.event_id = i.event_id`,
    );
    expect(inbox.length).toBe(rows.length);
    for (const r of inbox) expect(r).toMatchObject({ topic: TOPIC, outcome: 'applied' });
    const positions: Array<{ partition: number; next_seq: string }> = await dataSource.query(
      `SELECT partition, next_seq FROM inbox_positions WHERE topic = $1`,
      [TOPIC],
    );
    for (const pos of positions) {
      expect(Number(pos.next_seq)).toBe(rows.filter((r) => r.partition === pos.partition).length + 1);
    }
  });

  it('serves the feed over HTTP in sequence order, and refuses a malformed topic', async () => {
    const partition = partitionOfKey('N001', PARTITIONS);
    const res = await fetch(`${url}/v1/event-feed/${TOPIC}/partitions/${partition}?fromSeq=1&limit=500`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      items: Array<{ seq: number; headers: Record<string, string>; value: string }>;
      retainedFromSeq: number;
      lastSeq: number;
    };
    expect(page.items.map((i) => i.seq)).toEqual(page.items.map((_, i) => i + 1));
    expect(page.items[0].headers['event-seq']).toBe('1');
    expect(JSON.parse(page.items[0].value)).toMatchObject({ type: 'test.gap-probe' });
    expect(page).toMatchObject({ retainedFromSeq: 1, lastSeq: page.items.length, more: false });
    const cut = (await (
      await fetch(`${url}/v1/event-feed/${TOPIC}/partitions/${partition}?fromSeq=1&limit=2`)
    ).json()) as { items: unknown[]; more: boolean };
    expect(cut).toMatchObject({ more: true });
    expect(cut.items).toHaveLength(2);
    expect((await fetch(`${url}/v1/event-feed/bad%2Ftopic/partitions/0?fromSeq=1`)).status).toBe(400);
  });

  it('fills a gap from the producer before applying the event that revealed it', async () => {
    const before = (await moduleRef.get(MessagingMetrics).gaps.get()).values.reduce((n, v) => n + v.value, 0);
    await publishedButLost([1, 2, 3].map((i) => ({ ref: `g-lost-${i}`, dealer: 'G001' })));
    await enqueue([{ ref: 'g-next', dealer: 'G001' }]);
    await applied('g-next');
    expect(await effectOrder(['g-lost-1', 'g-lost-2', 'g-lost-3', 'g-next'])).toEqual([
      'g-lost-1',
      'g-lost-2',
      'g-lost-3',
      'g-next',
    ]);
    const [gap] = await gapsOf('G001');
    expect(gap).toMatchObject({ status: 'HEALED', filled: 3, lost: 0 });
    expect(Number(gap.to_seq) - Number(gap.from_seq)).toBe(2);
    const after = (await moduleRef.get(MessagingMetrics).gaps.get()).values.reduce((n, v) => n + v.value, 0);
    expect(after - before).toBe(1);
    await waitFor('healthy', async () => (await health()).up);
  });

  it('finds a lost tail (nothing after it) by comparing an idle partition with the producer head', async () => {
    await publishedButLost([
      { ref: 't-lost-1', dealer: 'T001' },
      { ref: 't-lost-2', dealer: 'T001' },
    ]);
    await applied('t-lost-2');
    expect(await effectOrder(['t-lost-1', 't-lost-2'])).toEqual(['t-lost-1', 't-lost-2']);
    expect((await gapsOf('T001')).at(-1)).toMatchObject({ status: 'HEALED', filled: 2 });
  });

  it('records events the producer no longer keeps as lost, degrades health until an operator acknowledges', async () => {
    const [, second] = await publishedButLost([1, 2, 3].map((i) => ({ ref: `l-lost-${i}`, dealer: 'L001' })));
    // Past retention at the producer:
    await dataSource.query(`DELETE FROM outbox_messages WHERE topic = $1 AND partition = $2 AND seq = $3`, [
      TOPIC,
      partitionOfKey('L001', PARTITIONS),
      second,
    ]);
    await enqueue([{ ref: 'l-next', dealer: 'L001' }]);
    await applied('l-next');
    expect(await effectOrder(['l-lost-1', 'l-lost-2', 'l-lost-3', 'l-next'])).toEqual([
      'l-lost-1',
      'l-lost-3',
      'l-next',
    ]);
    const gap = (await gapsOf('L001')).at(-1);
    expect(gap).toMatchObject({ status: 'LOST', filled: 2, lost: 1 });
    expect(gap.detail).toContain(`lost: ${second}`);
    const degraded = await health();
    expect(degraded.up).toBe(false);
    expect((degraded.details.gaps as { lost: unknown[] }).lost).toHaveLength(1);
    const result = await moduleRef
      .get(EventReplayService)
      .replay({ topic: TOPIC, partition: partitionOfKey('L001', PARTITIONS), fromSeq: 1, acknowledgeLost: true });
    expect(result.acknowledgedGaps).toBe(1);
    expect(result.counts.applied).toBe(0); // everything the producer still has was applied once already
    await waitFor('healthy after acknowledgement', async () => (await health()).up);
  });

  it('dead-letters an event the database refuses at once (no retries) and moves on', async () => {
    const [poison] = await enqueue([
      { ref: 'p-overflow', dealer: 'P001', mode: 'overflow' },
      { ref: 'p-next', dealer: 'P001' },
    ]);
    await applied('p-next');
    expect(calls.get('p-overflow')).toBe(1);
    const [row] = await dataSource.query(`SELECT outcome, reason FROM inbox_processed_events WHERE event_id = $1`, [
      poison.eventId,
    ]);
    expect(row.outcome).toBe('dead-lettered');
    expect(row.reason).toMatch(/not retried.*numeric field overflow/);
    const [dl] = await dataSource.query(
      `SELECT topic, envelope::text AS value FROM outbox_messages WHERE type = 'dead-letter' AND envelope::text LIKE $1`,
      [`%${poison.eventId}%`],
    );
    expect(dl.topic).toBe(`${SERVICE}.dlq.v1`);
    expect(JSON.parse(dl.value)).toMatchObject({ topic: TOPIC, key: 'P001' });
  });

  it('waits out an outage instead of dead-lettering (more failures than the retry budget)', async () => {
    const [event] = await enqueue([{ ref: 'o-outage', dealer: 'O001', mode: 'outage' }]);
    await applied('o-outage');
    expect(calls.get('o-outage')).toBe(5);
    const [row] = await dataSource.query(`SELECT outcome FROM inbox_processed_events WHERE event_id = $1`, [
      event.eventId,
    ]);
    expect(row.outcome).toBe('applied');
  });

  it('an operator replay applies again what was dead-lettered once its cause is fixed, exactly once', async () => {
    flakyFails = true;
    const [event] = await enqueue([{ ref: 'r-flaky', dealer: 'R001', mode: 'flaky' }]);
    await waitFor('dead letter', async () => {
      const rows = await dataSource.query(
        `SELECT 1 FROM inbox_processed_events WHERE event_id = $1 AND outcome = 'dead-lettered'`,
        [event.eventId],
      );
      return rows.length === 1;
    });
    flakyFails = false;
    const partition = partitionOfKey('R001', PARTITIONS);
    const replay = (retryDeadLettered: boolean) =>
      moduleRef.get(EventReplayService).replay({ topic: TOPIC, partition, fromSeq: 1, retryDeadLettered });
    const first = await replay(true);
    expect(first.counts.applied).toBe(1);
    expect(await effectOrder(['r-flaky'])).toEqual(['r-flaky']);
    const again = await replay(true);
    expect(again.counts.applied).toBe(0);
    expect(await effectOrder(['r-flaky'])).toEqual(['r-flaky']);
    const [row] = await dataSource.query(`SELECT outcome FROM inbox_processed_events WHERE event_id = $1`, [
      event.eventId,
    ]);
    expect(row.outcome).toBe('applied');
  });

  it('every event published is applied or dead-lettered, exactly once', async () => {
    const [{ published }] = await dataSource.query(
      `SELECT count(*)::int AS published FROM outbox_messages WHERE topic = $1`,
      [TOPIC],
    );
    const [{ applied: a, dead }] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE outcome = 'applied')::int AS applied, count(*) FILTER (WHERE outcome = 'dead-lettered')::int AS dead
         FROM inbox_processed_events WHERE topic = $1`,
      [TOPIC],
    );
    // l-lost-2 left the producer's outbox before any consumer had it: it is counted by neither side.
    expect(a + dead).toBe(published);
    expect(dead).toBe(1);
    expect(consumer.state()!.offsetResets).toBe(0);
  });
});
