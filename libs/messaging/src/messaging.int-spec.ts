import 'reflect-metadata';
import { defineEvent, EventEnvelope } from '@app/contracts';
import { messagingTestModule, MockBroker, quietTestLogger, startMessagingSuite, TestDatabase } from '@app/testing';
import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import { IsIn, IsString } from 'class-validator';
import { Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { ClsService } from 'nestjs-cls';
import { randomUUID } from 'node:crypto';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import {
  DeadLetterRecord,
  EventConsumer,
  MessagingHealthIndicator,
  MessagingService,
  OutboxRelay,
  OutboxService,
} from '.';

jest.setTimeout(60_000);

const quietLogger = quietTestLogger();

const RUN = randomUUID().slice(0, 8);
const TOPIC = `msgtest-${RUN}.events.v1`;
const GROUP = `msgtest-${RUN}`;
const DLQ = `${GROUP}.dlq.v1`;

class ProbePayload {
  @IsString() ref!: string;
  @IsIn(['ok', 'fail']) mode!: 'ok' | 'fail';
}
const ProbeV1 = defineEvent({ type: 'test.probe', version: 1, topic: TOPIC, payload: ProbePayload });
const UnhandledV1 = defineEvent({ type: 'test.unhandled', version: 1, topic: TOPIC, payload: ProbePayload });

class TestEffects1767225700000 implements MigrationInterface {
  name = 'TestEffects1767225700000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE test_effects (id serial PRIMARY KEY, ref text NOT NULL, dealer_code text NOT NULL,
                   event_id uuid NOT NULL, correlation_id text, causation_id text)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_effects`);
  }
}

const handlerCalls = new Map<string, number>();

@Injectable()
class ProbeHandler implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly cls: ClsService,
  ) {}
  onModuleInit(): void {
    this.messaging.handle(ProbeV1, async (envelope: EventEnvelope<ProbePayload>, em) => {
      const { ref, mode } = envelope.payload;
      handlerCalls.set(ref, (handlerCalls.get(ref) ?? 0) + 1);
      await em.query(
        `INSERT INTO test_effects (ref, dealer_code, event_id, correlation_id, causation_id) VALUES ($1, $2, $3, $4, $5)`,
        [ref, envelope.dealerCode, envelope.eventId, this.cls.get('correlationId'), this.cls.get('causationId')],
      );
      if (mode === 'fail') throw new Error(`probe ${ref} always fails`);
    });
  }
}

@Module({ providers: [ProbeHandler] })
class ProbeModule {}

const trace = (msg: string): void => {
  if (process.env.TEST_LOGS) process.stderr.write(`[test] ${new Date().toISOString()} ${msg}\n`);
};

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 40_000): Promise<T> {
  trace(`waiting for ${what}`);
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('messaging against PostgreSQL and the mock broker', () => {
  let db: TestDatabase;
  let broker: MockBroker;
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let outbox: OutboxService;
  let consumer: EventConsumer;
  let relay: OutboxRelay;
  let rawKafka: Kafka;
  let rawProducer: Producer;
  let dlqReader: Consumer;
  const dlq: Array<{ record: DeadLetterRecord; reasonHeader: string }> = [];
  const onFatal = jest.fn();

  const effects = async (ref: string): Promise<number> => {
    const rows = await dataSource.query(`SELECT count(*)::int AS n FROM test_effects WHERE ref = $1`, [ref]);
    return rows[0].n;
  };
  const applied = (ref: string, timeoutMs?: number) =>
    waitFor(`effect ${ref}`, async () => (await effects(ref)) > 0, timeoutMs);
  const enqueue = (refs: Array<{ ref: string; mode?: 'ok' | 'fail'; dealer?: string }>) =>
    dataSource.transaction((em) =>
      outbox.enqueue(
        em,
        refs.map(({ ref, mode, dealer }) => ({
          definition: ProbeV1,
          dealerCode: dealer ?? 'D001',
          payload: { ref, mode: mode ?? 'ok' },
        })),
      ),
    );
  const rawEnvelope = (ref: string, dealer = 'D001', overrides: Record<string, unknown> = {}) => ({
    eventId: randomUUID(),
    type: 'test.probe',
    version: 1,
    occurredAt: new Date().toISOString(),
    producer: 'raw-test',
    dealerCode: dealer,
    correlationId: `corr-${ref}`,
    causationId: null,
    payload: { ref, mode: 'ok' },
    ...overrides,
  });
  const sendRaw = (key: string, values: unknown[]) =>
    rawProducer.send({
      topic: TOPIC,
      acks: -1,
      messages: values.map((v) => ({ key, value: typeof v === 'string' ? v : JSON.stringify(v) })),
    });

  beforeAll(async () => {
    [db, broker] = await startMessagingSuite('messaging', quietLogger);
    rawKafka = new Kafka({ clientId: 'test-raw', brokers: broker.brokers, logLevel: logLevel.NOTHING });
    rawProducer = rawKafka.producer({
      allowAutoTopicCreation: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    dlqReader = rawKafka.consumer({
      groupId: `dlq-reader-${RUN}`,
      allowAutoTopicCreation: true,
      maxWaitTimeInMs: 250,
      heartbeatInterval: 1000,
      sessionTimeout: 10000,
      rebalanceTimeout: 10000,
    });
    await Promise.all([rawProducer.connect(), dlqReader.connect()]);
    await dlqReader.subscribe({ topic: DLQ, fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        dlq.push({
          record: JSON.parse(message.value!.toString()) as DeadLetterRecord,
          reasonHeader: message.headers?.['dlq-reason']?.toString() ?? '',
        });
      },
    });

    moduleRef = await messagingTestModule({
      databaseUrl: db.url,
      migrations: [TestEffects1767225700000],
      messaging: {
        serviceName: 'msgtest',
        brokers: broker.brokers,
        idempotentProducer: false,
        consumerGroupId: GROUP,
        relayPollMs: 500,
        retry: { attempts: 3, initialDelayMs: 50 },
        consumerRestart: { attempts: 2, initialDelayMs: 200 },
        onFatal,
      },
      imports: [ProbeModule],
    })
      .setLogger(quietLogger)
      .compile();
    moduleRef.useLogger(quietLogger);
    await moduleRef.init();
    dataSource = moduleRef.get(DataSource);
    outbox = moduleRef.get(OutboxService);
    consumer = moduleRef.get(EventConsumer);
    relay = moduleRef.get(OutboxRelay);
    // Warm up: the group joins and the topic exists.
    await enqueue([{ ref: 'warm-up' }]);
    await applied('warm-up', 50_000);
  }, 90_000);

  afterAll(async () => {
    await moduleRef?.close();
    await Promise.allSettled([rawProducer?.disconnect(), dlqReader?.disconnect()]);
    await broker?.stop();
    await db?.drop();
  }, 60_000);

  it('(a) publishes a committed transaction and applies it; publishes nothing from a rolled-back one', async () => {
    const cls = moduleRef.get(ClsService);
    const [committed] = await cls.run(async () => {
      cls.set('correlationId', 'req-123');
      return enqueue([{ ref: 'a-committed' }]);
    });
    let rolledBackId: string | undefined;
    await expect(
      dataSource.transaction(async (em) => {
        const [env] = await outbox.enqueue(em, [
          { definition: ProbeV1, dealerCode: 'D001', payload: { ref: 'a-rolled-back', mode: 'ok' } },
        ]);
        rolledBackId = env.eventId;
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await enqueue([{ ref: 'a-marker' }]); // same key, after the rolled-back one
    await applied('a-committed');
    await applied('a-marker');
    expect(await effects('a-rolled-back')).toBe(0);
    const rows = await dataSource.query(`SELECT 1 FROM outbox_messages WHERE event_id = $1`, [rolledBackId]);
    expect(rows).toHaveLength(0);
    const [effect] = await dataSource.query(`SELECT * FROM test_effects WHERE ref = 'a-committed'`);
    expect(effect).toMatchObject({
      event_id: committed.eventId,
      correlation_id: 'req-123',
      causation_id: committed.eventId,
      dealer_code: 'D001',
    });
    expect(committed).toMatchObject({
      producer: 'msgtest',
      correlationId: 'req-123',
      causationId: null,
      type: 'test.probe',
      version: 1,
    });
    await waitFor('outbox drained', async () => (await relay.pendingCount()) === 0);
  });

  it('(b) applies an event delivered twice only once', async () => {
    const env = rawEnvelope('b-dup', 'D002');
    await sendRaw('D002', [env, env]);
    await sendRaw('D002', [rawEnvelope('b-marker', 'D002')]);
    await applied('b-marker');
    expect(await effects('b-dup')).toBe(1);
    expect(handlerCalls.get('b-dup')).toBe(1);
    const inbox = await dataSource.query(`SELECT consumer_group FROM inbox_processed_events WHERE event_id = $1`, [
      env.eventId,
    ]);
    expect(inbox).toEqual([{ consumer_group: GROUP }]);
  });

  it('(c) dead-letters an invalid message with the reason and applies the next one on the same key', async () => {
    const bad = rawEnvelope('c-bad', 'D003', { payload: { ref: 'c-bad', mode: 'explode', extra: 1 } });
    await sendRaw('D003', ['{not json', bad, rawEnvelope('c-next', 'D003')]);
    // An event type this consumer has no handler for is skipped, not dead-lettered.
    await sendRaw('D003', [
      { ...rawEnvelope('c-unhandled', 'D003'), type: UnhandledV1.type },
      rawEnvelope('c-last', 'D003'),
    ]);
    await applied('c-next');
    await applied('c-last');
    const forBad = await waitFor('dead letter of c-bad', async () =>
      dlq.find((d) => d.record.value === JSON.stringify(bad)),
    );
    expect(forBad.record).toMatchObject({ topic: TOPIC, key: 'D003' });
    expect(forBad.record.reason).toContain('payload.mode');
    expect(forBad.record.reason).toContain('payload.extra');
    expect(forBad.reasonHeader).toBe(forBad.record.reason);
    const notJson = await waitFor('dead letter of non-JSON', async () =>
      dlq.find((d) => d.record.value === '{not json'),
    );
    expect(notJson.record.reason).toMatch(/not JSON/);
    expect(dlq.some((d) => d.record.value?.includes('c-unhandled'))).toBe(false);
    expect(await effects('c-bad')).toBe(0);
  });

  it('(c2) passes over an event whose headers name a type no handler wants, without reading its value', async () => {
    const named = (type: string, version: number, value: string) => ({
      key: 'D003',
      value,
      headers: { 'event-type': type, 'event-version': String(version) },
    });
    const wanted = rawEnvelope('c2-wanted', 'D003');
    const notJsonLetters = async () =>
      Number(
        (
          await dataSource.query(
            `SELECT count(*) AS n FROM inbox_processed_events WHERE outcome = 'dead-lettered' AND reason LIKE 'value is not JSON%'`,
          )
        )[0].n,
      );
    const lettersBefore = await notJsonLetters();
    await rawProducer.send({
      topic: TOPIC,
      acks: -1,
      messages: [
        // Not even JSON: read, it would be dead-lettered; named unwanted, it is skipped unread.
        named(UnhandledV1.type, UnhandledV1.version, '{unread'),
        named(wanted.type, wanted.version, JSON.stringify(wanted)),
      ],
    });
    await applied('c2-wanted');
    expect(await effects('c2-wanted')).toBe(1);
    await sendRaw('D003', [rawEnvelope('c2-marker', 'D003')]);
    await applied('c2-marker');
    // The inbox records a dead letter in stream order, before the marker behind it is applied.
    expect(await notJsonLetters()).toBe(lettersBefore);
    expect(dlq.some((d) => d.record.value === '{unread')).toBe(false);
  });

  it('(c3) an idle relay polls with one probe of the outbox, not two locked transactions, and still sends what arrives', async () => {
    await waitFor('outbox drained', async () => (await relay.pendingCount()) === 0);
    const lockedTransactions: string[] = [];
    const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
    const runners = jest.spyOn(dataSource, 'createQueryRunner').mockImplementation((...args) => {
      const qr = createQueryRunner(...args);
      const query = qr.query.bind(qr);
      qr.query = ((sql: string, ...rest: unknown[]) => {
        if (sql.includes('pg_try_advisory_xact_lock')) lockedTransactions.push(sql);
        return (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as typeof qr.query;
      return qr;
    });
    const queries = jest.spyOn(dataSource, 'query');
    try {
      await new Promise((r) => setTimeout(r, 1_800)); // three or more polls (relayPollMs 500)
      const probes = queries.mock.calls.filter(([sql]) =>
        String(sql).includes('SELECT EXISTS (SELECT 1 FROM outbox_messages'),
      );
      expect(probes.length).toBeGreaterThanOrEqual(3);
      expect(lockedTransactions).toEqual([]);
      await enqueue([{ ref: 'c3-after-idle', dealer: 'D003' }]);
      await applied('c3-after-idle');
      expect(lockedTransactions.length).toBeGreaterThan(0);
    } finally {
      runners.mockRestore();
      queries.mockRestore();
    }
  });

  it('(d) dead-letters an event whose handler keeps failing, after the retries, and moves on', async () => {
    const [failing] = await enqueue([
      { ref: 'd-fail', mode: 'fail', dealer: 'D004' },
      { ref: 'd-next', dealer: 'D004' },
    ]);
    await applied('d-next');
    const letter = await waitFor('dead letter of d-fail', async () =>
      dlq.find((d) => d.record.value?.includes(failing.eventId)),
    );
    expect(letter.record.reason).toMatch(/handler failed after 3 attempts: Error: probe d-fail always fails/);
    expect(handlerCalls.get('d-fail')).toBe(3);
    expect(await effects('d-fail')).toBe(0); // every try rolled back
    const inbox = await dataSource.query(`SELECT outcome, reason FROM inbox_processed_events WHERE event_id = $1`, [
      failing.eventId,
    ]);
    expect(inbox).toEqual([{ outcome: 'dead-lettered', reason: letter.record.reason }]);
  });

  it('(d2) applies a fetched run of events in one transaction each, exactly once', async () => {
    const transactions = jest.spyOn(dataSource, 'transaction');
    try {
      const refs = Array.from({ length: 12 }, (_, i) => ({ ref: `d2-${i}`, dealer: 'D005' }));
      await enqueue(refs);
      await applied('d2-11');
      for (const { ref } of refs) expect(await effects(ref)).toBe(1);
      // Fetched together, the twelve commit in far fewer transactions than one per event.
      expect(transactions.mock.calls.length).toBeLessThan(refs.length);
    } finally {
      transactions.mockRestore();
    }
  });

  it('(d3) a failing event in the middle of a run: the others applied once, it is dead-lettered after its tries', async () => {
    const [, , failing] = await enqueue([
      { ref: 'd3-a', dealer: 'D006' },
      { ref: 'd3-b', dealer: 'D006' },
      { ref: 'd3-fail', mode: 'fail', dealer: 'D006' },
      { ref: 'd3-c', dealer: 'D006' },
      { ref: 'd3-d', dealer: 'D006' },
    ]);
    await applied('d3-d');
    await waitFor('dead letter of d3-fail', async () => dlq.find((d) => d.record.value?.includes(failing.eventId)));
    // Effects commit once; the handlers before the failure ran again after the run rolled back.
    for (const ref of ['d3-a', 'd3-b', 'd3-c', 'd3-d']) expect(await effects(ref)).toBe(1);
    for (const ref of ['d3-c', 'd3-d']) expect(handlerCalls.get(ref)).toBe(1);
    expect(await effects('d3-fail')).toBe(0);
    expect(handlerCalls.get('d3-fail')).toBe(3); // its try inside the rolled-back run counts as the first
  });

  it('(e) accepts events while the broker is down and delivers them when it is back', async () => {
    await broker.down();
    try {
      const [env] = await enqueue([{ ref: 'e-while-down', dealer: 'D005' }]);
      await waitFor('a failed relay attempt', async () => {
        const [row] = await dataSource.query(`SELECT attempts, published_at FROM outbox_messages WHERE event_id = $1`, [
          env.eventId,
        ]);
        return row.attempts > 0 && row.published_at === null;
      });
      const health = await moduleRef.get(MessagingHealthIndicator).check();
      expect(health.up).toBe(false);
      expect(health.details.outboxPending).toBeGreaterThanOrEqual(1);
    } finally {
      await broker.up();
    }
    await applied('e-while-down', 50_000);
    await waitFor('outbox drained', async () => (await relay.pendingCount()) === 0);
    await waitFor('healthy again', async () => (await moduleRef.get(MessagingHealthIndicator).check()).up);
  });

  it('(f) restarts a consumer that stopped unexpectedly, and consumption resumes', async () => {
    const before = consumer.state()!.restarts;
    trace('stopping the kafkajs consumer');
    await consumer.currentKafkaConsumer()!.stop();
    trace('stopped');
    await waitFor('a restart', async () => consumer.state()!.restarts > before);
    await enqueue([{ ref: 'f-after-restart', dealer: 'D006' }]);
    await applied('f-after-restart');
    expect(consumer.state()!.status).toBe('running');
    expect(onFatal).not.toHaveBeenCalled();
  });
  // onFatal after the restart budget is covered by consumer-supervisor.spec.ts: against the mock
  // broker a dead connection is a retriable crash that kafkajs restarts by itself.
});
