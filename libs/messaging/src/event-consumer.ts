import { deadLetterTopic, EventEnvelope, producerOfTopic, validateEnvelope, validatePayload } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { ClsService } from 'nestjs-cls';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConsumerPositions } from './consumer/consumer-positions';
import { GapLedger } from './consumer/gap-ledger';
import { PartitionLocks } from './consumer/partition-locks';
import { ConsumerSupervisor, SupervisedConsumer } from './consumer-supervisor';
import { buildDeadLetter, headersToStrings } from './dead-letter';
import { EventFeedClient, FeedSourceMissingError } from './event-feed/event-feed.client';
import { EventHandlerRegistry, RegisteredHandlers } from './event-handler.registry';
import { classifyFailure } from './failure-kind';
import { KafkaClients } from './kafka-clients';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from './messaging.options';
import { HEADER_EVENT_SEQ, OutboxService } from './outbox.service';
import { backoffDelay, errorMessage, retryDelays, sleep } from './retry';

/** What became of one message (for logs, metrics and tests). */
export type MessageOutcome = 'applied' | 'duplicate' | 'skipped' | 'dead-lettered';

/** One message to consume, from the broker or from its producer's event feed. */
export interface Delivery {
  topic: string;
  partition: number;
  /** The producer's sequence number within (topic, partition); null for a message without one. */
  seq: number | null;
  /** Kafka offset, or `feed` for a message fetched from the producer. */
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
}

/** What the work on a batch may call: a heartbeat to stay in the group, and whether to go on. */
export interface Progress {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
}

/** `replay`: an operator's re-application; the inbox alone decides what was done, positions stay. */
export interface ProcessOptions {
  replay?: boolean;
}

/** Grace period after an unexpected STOP to see whether kafkajs restarts by itself. */
const STOP_GRACE_MS = 300;
/** Retries of an outage (database or network) back off up to this. */
const TRANSIENT_BACKOFF_CAP_MS = 10_000;
/** Events fetched per request while filling a gap. */
const FILL_PAGE = 200;

class ConsumerStopping extends Error {
  constructor() {
    super('consumer stopping');
    this.name = 'ConsumerStopping';
  }
}

/**
 * The service's consumer. Each event is validated, skipped when no handler wants it, applied once
 * (inbox) in one transaction with its effect, or dead-lettered with the reason. Messages carry
 * their producer's sequence number per topic-partition: a number further on than expected means
 * the broker lost messages (or the consumer jumped after an offset reset), and the missing ones
 * are fetched from the producer's event feed and applied first. An outage is retried until it
 * ends; an event the database refuses is dead-lettered at once; other failures after a few tries.
 * Kafka offsets are committed only up to what is stored (kafkajs commits what is resolved).
 */
@Injectable()
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private supervisor?: ConsumerSupervisor;
  private kafkaConsumer?: Consumer;
  private readonly counts: Record<MessageOutcome, number> = {
    applied: 0,
    duplicate: 0,
    skipped: 0,
    'dead-lettered': 0,
  };
  private joined = false;
  private joinedAt = 0;
  private assignment: Record<string, number[]> = {};
  private readonly lastBatch = new Map<string, { at: number; caughtUp: boolean }>();
  private readonly locks = new PartitionLocks();
  private readonly positions: ConsumerPositions;
  readonly gaps: GapLedger;
  private readonly feed: EventFeedClient;
  private blocked: { since: string; reason: string } | null = null;
  private offsetResets = 0;
  private tailTimer?: NodeJS.Timeout;
  private tailCheck?: Promise<void>;
  private stopping = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly kafka: KafkaClients,
    private readonly handlers: EventHandlerRegistry,
    private readonly dataSource: DataSource,
    private readonly cls: ClsService,
    private readonly outbox: OutboxService,
    private readonly metrics: MessagingMetrics,
  ) {
    this.positions = new ConsumerPositions(dataSource, options.consumerGroupId);
    this.gaps = new GapLedger(dataSource, options.consumerGroupId, metrics);
    this.feed = new EventFeedClient(options.eventFeed);
    kafka.onOffsetReset(({ topic, partition, groupId }) => {
      if (groupId !== this.groupId) return;
      this.offsetResets++;
      this.metrics.offsetResets.inc({ topic, partition: String(partition) });
      this.logger.warn(
        `offset reset in ${topic}[${partition}]: the broker no longer holds the committed offset; what was skipped is found by sequence and filled from the producer`,
      );
    });
  }

  get groupId(): string {
    return this.options.consumerGroupId;
  }

  get dlqTopic(): string {
    return deadLetterTopic(this.options.consumerGroupId);
  }

  /** Starts consuming when handlers are registered; does not wait for the group join. */
  async start(): Promise<void> {
    this.handlers.freeze();
    if (this.handlers.isEmpty()) return;
    this.stopping = false;
    const onFatal =
      this.options.onFatal ??
      ((err: Error) => {
        this.logger.error(`fatal: ${err.message}; exiting`);
        process.exit(1);
      });
    this.supervisor = new ConsumerSupervisor(
      (events) => this.createConsumer(events),
      this.options.consumerRestart,
      onFatal,
      this.logger,
    );
    await this.supervisor.start();
    this.tailTimer = setInterval(() => {
      this.tailCheck ??= this.checkTails()
        .catch((err) => this.logger.warn(`tail check failed: ${errorMessage(err)}`))
        .finally(() => (this.tailCheck = undefined));
    }, this.options.gapCheckMs);
    this.tailTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.tailTimer);
    await this.supervisor?.stop();
    await this.tailCheck;
  }

  /** null when this service consumes nothing. */
  state() {
    if (!this.supervisor) return null;
    return {
      ...this.supervisor.state(),
      groupId: this.groupId,
      topics: this.handlers.topics(),
      joined: this.joined,
      assignment: this.assignment,
      counts: { ...this.counts },
      offsetResets: this.offsetResets,
      openGaps: this.gaps.openNow(),
      blocked: this.blocked,
    };
  }

  isRunning(): boolean {
    return this.supervisor?.isRunning() ?? false;
  }

  /** Runs `work` while no batch, fill or other replay of the partition runs. */
  runExclusive<T>(topic: string, partition: number, work: () => Promise<T>): Promise<T> {
    return this.locks.run(partitionKey(topic, partition), work);
  }

  /** @internal The live kafkajs consumer (tests use it to simulate failures). */
  currentKafkaConsumer(): Consumer | undefined {
    return this.kafkaConsumer;
  }

  private createConsumer(events: { lost: (err: Error) => void; healthy: () => void }): SupervisedConsumer {
    const consumer = this.kafka.createConsumer(this.groupId);
    let disposing = false;
    let stopTimer: NodeJS.Timeout | undefined;
    const topics = this.handlers.topics();
    this.kafkaConsumer = consumer;
    this.joined = false;

    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.joinedAt = Date.now();
      this.assignment = payload.memberAssignment;
      // Partitions may have moved between members: positions are read again from the database.
      this.positions.forget();
      events.healthy();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (disposing) return;
      this.joined = false;
      clearTimeout(stopTimer);
      if (payload.restart) {
        this.logger.warn(`consumer crashed, kafkajs restarts it: ${errorMessage(payload.error)}`);
        return;
      }
      events.lost(payload.error);
    });
    consumer.on(consumer.events.STOP, () => {
      if (disposing) return;
      this.joined = false;
      // A crash stops the consumer before reporting CRASH; wait briefly for it.
      clearTimeout(stopTimer);
      stopTimer = setTimeout(() => events.lost(new Error('consumer stopped unexpectedly')), STOP_GRACE_MS);
    });

    return {
      start: async () => {
        await consumer.connect();
        await consumer.subscribe({ topics, fromBeginning: true });
        await consumer.run({
          autoCommit: true,
          eachBatchAutoResolve: false,
          // A partition waiting for its producer (a gap) does not hold up the others.
          partitionsConsumedConcurrently: 4,
          eachBatch: (payload) => this.onBatch(payload),
        });
        this.logger.log(`consuming ${topics.join(', ')} as group ${this.groupId}`);
      },
      dispose: async () => {
        disposing = true;
        this.joined = false;
        clearTimeout(stopTimer);
        if (this.kafkaConsumer === consumer) this.kafkaConsumer = undefined;
        await consumer.disconnect();
      },
    };
  }

  /**
   * One fetched batch of one partition, in order. An offset is resolved (and so may be committed)
   * only when the stored position covers it: after the event's own transaction, or after the
   * position of skipped events was flushed at the end of the batch.
   */
  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = partitionKey(topic, partition);
    const progress: Progress = { heartbeat, isRunning: () => isRunning() && !isStale() && !this.stopping };
    await this.locks.run(
      key,
      async () => {
        let last: string | undefined;
        try {
          for (const message of batch.messages) {
            if (!progress.isRunning()) break;
            await this.consume(toDelivery(topic, partition, message), progress);
            last = message.offset;
            if (!this.positions.dirty(topic, partition)) resolveOffset(message.offset);
            await heartbeat();
          }
          if (last !== undefined && this.positions.dirty(topic, partition)) {
            await this.untilStored(() => this.positions.flush(topic, partition), progress);
            resolveOffset(last);
          }
        } catch (err) {
          if (!(err instanceof ConsumerStopping)) throw err;
        }
        this.lastBatch.set(key, { at: Date.now(), caughtUp: batch.offsetLag() === '0' });
      },
      heartbeat,
    );
  }

  /** A message in stream order: duplicates are passed over, a gap before it is filled first. */
  private async consume(delivery: Delivery, progress: Progress): Promise<void> {
    const { topic, partition, seq } = delivery;
    if (seq === null) {
      await this.process(delivery, progress);
      return;
    }
    const next = await this.untilStored(() => this.positions.next(topic, partition), progress);
    if (seq < next) {
      this.count(topic, 'duplicate');
      return;
    }
    if (seq > next) {
      await this.fill(topic, partition, next, seq - 1, progress, `sequence ${seq} arrived while ${next} was expected`);
    }
    await this.process(delivery, progress);
  }

  /**
   * Validates, finds the handlers and applies one message, or dead-letters it. Used for the
   * stream, for gap filling and for an operator's replay.
   */
  async process(delivery: Delivery, progress: Progress, options: ProcessOptions = {}): Promise<MessageOutcome> {
    const outcome = await this.decide(delivery, progress, options);
    if (delivery.seq !== null && !options.replay && outcome === 'skipped')
      this.positions.passed(delivery.topic, delivery.partition, delivery.seq);
    this.count(delivery.topic, outcome);
    return outcome;
  }

  private async decide(delivery: Delivery, progress: Progress, options: ProcessOptions): Promise<MessageOutcome> {
    const { value } = delivery;
    if (value === null) return this.deadLetter(delivery, 'empty message value', null, progress, options);
    let raw: unknown;
    try {
      raw = JSON.parse(value);
    } catch (err) {
      return this.deadLetter(
        delivery,
        `value is not JSON: ${err instanceof Error ? err.message : String(err)}`,
        null,
        progress,
        options,
      );
    }
    const env = validateEnvelope(raw);
    if (!env.ok) return this.deadLetter(delivery, env.reason, null, progress, options);
    const entry = this.handlers.lookup(env.envelope.type, env.envelope.version);
    if (!entry) {
      this.logger.debug(`no handler for ${env.envelope.type} v${env.envelope.version} at ${where(delivery)}; skipped`);
      return 'skipped';
    }
    // Validation failures are final: dead-lettered at once, never retried.
    const payload = validatePayload(entry.definition, env.envelope.payload);
    if (!payload.ok) return this.deadLetter(delivery, payload.reason, env.envelope.eventId, progress, options);
    const envelope = env.envelope as EventEnvelope<unknown>;
    envelope.payload = payload.payload;
    return this.cls.run(async () => {
      this.cls.set('correlationId', envelope.correlationId);
      this.cls.set('causationId', envelope.eventId);
      return this.apply(delivery, envelope, entry, progress, options);
    });
  }

  /** The inbox row, the handlers' effects and the position move commit together. */
  private async apply(
    delivery: Delivery,
    envelope: EventEnvelope<unknown>,
    entry: RegisteredHandlers,
    progress: Progress,
    options: ProcessOptions,
  ): Promise<MessageOutcome> {
    const { topic, partition, seq } = delivery;
    const tracked = seq !== null && !options.replay;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.dataSource.transaction(async (em) => {
          if (tracked && (await this.positions.lock(em, topic, partition, seq!)) > seq!) return 'duplicate' as const;
          const inserted: unknown[] = await em.query(
            `INSERT INTO inbox_processed_events (consumer_group, event_id, outcome, topic, partition, seq)
             VALUES ($1, $2, 'applied', $3, $4, $5) ON CONFLICT DO NOTHING RETURNING event_id`,
            [this.groupId, envelope.eventId, topic, partition, seq],
          );
          if (inserted.length > 0) for (const handler of entry.handlers) await handler(envelope, em);
          if (tracked) await this.positions.move(em, topic, partition, seq!);
          return inserted.length > 0 ? ('applied' as const) : ('duplicate' as const);
        });
        if (tracked) this.positions.storedAs(topic, partition, seq! + 1);
        this.blocked = null;
        return outcome;
      } catch (err) {
        const kind = classifyFailure(err);
        if (kind === 'poison') {
          return this.deadLetter(
            delivery,
            `handler refused the event (not retried): ${errorMessage(err)}`,
            envelope.eventId,
            progress,
            options,
          );
        }
        if (kind === 'unknown' && attempt >= this.options.retry.attempts) {
          return this.deadLetter(
            delivery,
            `handler failed after ${attempt} attempts: ${errorMessage(err)}`,
            envelope.eventId,
            progress,
            options,
          );
        }
        const delay =
          kind === 'transient'
            ? backoffDelay(attempt, this.options.retry.initialDelayMs, TRANSIENT_BACKOFF_CAP_MS)
            : retryDelays(this.options.retry)[attempt - 1];
        const tries =
          kind === 'transient'
            ? `try ${attempt}, until the outage ends`
            : `try ${attempt}/${this.options.retry.attempts}`;
        this.logger.warn(
          `handler of ${envelope.type} v${envelope.version} (${envelope.eventId}) failed, ${tries}, retrying in ${delay} ms: ${errorMessage(err)}`,
        );
        if (kind === 'transient') this.blocked ??= { since: new Date().toISOString(), reason: errorMessage(err) };
        await this.pause(delay, progress);
      }
    }
  }

  /**
   * Records the event as dead-lettered (inbox, with the reason) and queues the dead letter in this
   * service's outbox, in one transaction with the position move: exactly one dead letter per event.
   */
  private async deadLetter(
    delivery: Delivery,
    reason: string,
    eventId: string | null,
    progress: Progress,
    options: ProcessOptions,
  ): Promise<MessageOutcome> {
    const { topic, partition, seq } = delivery;
    const tracked = seq !== null && !options.replay;
    const dl = buildDeadLetter(reason, {
      topic,
      partition,
      offset: delivery.offset,
      key: delivery.key,
      headers: delivery.headers,
      value: delivery.value,
    });
    const outcome = await this.untilStored(
      () =>
        this.dataSource.transaction(async (em) => {
          if (tracked && (await this.positions.lock(em, topic, partition, seq!)) > seq!) return 'duplicate' as const;
          const inserted: unknown[] = await em.query(
            `INSERT INTO inbox_processed_events (consumer_group, event_id, outcome, reason, topic, partition, seq)
             VALUES ($1, $2, 'dead-lettered', $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
            [this.groupId, eventId ?? deliveryId(delivery), reason.slice(0, 4000), topic, partition, seq],
          );
          if (inserted.length > 0) {
            await this.outbox.enqueueRecord(em, {
              topic: this.dlqTopic,
              key: dl.key ?? '',
              type: 'dead-letter',
              value: dl.value,
              headers: dl.headers,
            });
          }
          if (tracked) await this.positions.move(em, topic, partition, seq!);
          return inserted.length > 0 ? ('dead-lettered' as const) : ('duplicate' as const);
        }),
      progress,
    );
    if (tracked) this.positions.storedAs(topic, partition, seq! + 1);
    if (outcome === 'dead-lettered')
      this.logger.warn(`dead-lettered ${where(delivery)} to ${this.dlqTopic}: ${reason}`);
    return outcome;
  }

  /**
   * Fetches `fromSeq..toSeq` of a partition from its producer's event feed and applies it in
   * order. Waits (heartbeating) while the producer cannot be reached: the partition does not move
   * on without them. What the producer no longer keeps is recorded as lost.
   */
  private async fill(
    topic: string,
    partition: number,
    fromSeq: number,
    toSeq: number,
    progress: Progress,
    cause: string,
  ): Promise<void> {
    const producer = producerOfTopic(topic);
    const gapId = await this.untilStored(() => this.gaps.opened(topic, partition, fromSeq, toSeq, cause), progress);
    let cursor = fromSeq;
    let filled = 0;
    const lostRanges: string[] = [];
    let lost = 0;
    const lose = (to: number): void => {
      lostRanges.push(cursor === to ? `${cursor}` : `${cursor}..${to}`);
      lost += to - cursor + 1;
      this.positions.passed(topic, partition, to);
      cursor = to + 1;
    };
    while (cursor <= toSeq) {
      const page = await this.fetchPage(gapId, producer, topic, partition, cursor, toSeq, progress);
      for (const item of page.items) {
        if (item.seq < cursor) continue;
        if (item.seq > cursor) lose(item.seq - 1);
        await this.process(
          { topic, partition, seq: item.seq, offset: 'feed', key: item.key, headers: item.headers, value: item.value },
          progress,
        );
        filled++;
        cursor = item.seq + 1;
        await progress.heartbeat();
      }
      if (!page.more && cursor <= toSeq) lose(toSeq);
    }
    await this.untilStored(() => this.positions.flush(topic, partition), progress);
    await this.untilStored(() => this.gaps.closed(gapId, filled, lost, lostRanges), progress);
  }

  private async fetchPage(
    gapId: string,
    producer: string,
    topic: string,
    partition: number,
    fromSeq: number,
    toSeq: number,
    progress: Progress,
  ) {
    let lastReason: string | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const page = await this.feed.page(producer, topic, partition, fromSeq, toSeq, FILL_PAGE);
        this.gaps.waiting(gapId, undefined);
        return page;
      } catch (err) {
        const reason =
          err instanceof FeedSourceMissingError
            ? err.message
            : `event feed of ${producer} unreachable: ${errorMessage(err)}`;
        this.gaps.waiting(gapId, reason);
        if (reason !== lastReason)
          this.logger.warn(`filling ${topic}[${partition}] ${fromSeq}..${toSeq}: ${reason}; retrying`);
        lastReason = reason;
        await this.pause(backoffDelay(attempt, 500, TRANSIENT_BACKOFF_CAP_MS), progress);
      }
    }
  }

  /**
   * The lost tail: messages lost at the end of a partition show no later number. An idle,
   * caught-up partition is compared with its producer's settled head now and then.
   */
  private async checkTails(): Promise<void> {
    if (!this.joined || this.stopping) return;
    const progress: Progress = { heartbeat: async () => undefined, isRunning: () => !this.stopping };
    for (const [topic, partitions] of Object.entries(this.assignment)) {
      const producer = producerOfTopic(topic);
      if (!this.feed.hasSource(producer)) continue;
      const grace = this.options.gapGraceMs;
      const heads = await this.feed.heads(producer, topic, grace);
      for (const partition of partitions) {
        const key = partitionKey(topic, partition);
        const batch = this.lastBatch.get(key);
        const idleSince = Math.max(batch?.at ?? 0, this.joinedAt);
        if (this.locks.isHeld(key) || Date.now() - idleSince < grace || (batch && !batch.caughtUp)) continue;
        const head = heads.find((h) => h.partition === partition)?.settledSeq ?? 0;
        if (head < (await this.positions.next(topic, partition))) continue;
        await this.locks.run(key, async () => {
          const next = await this.positions.next(topic, partition);
          if (head >= next)
            await this.fill(
              topic,
              partition,
              next,
              head,
              progress,
              `the producer published up to ${head} and nothing after ${next - 1} arrived`,
            );
        });
      }
    }
  }

  /** Runs a database step until it succeeds, waiting out an outage; other errors propagate. */
  private async untilStored<T>(step: () => Promise<T>, progress: Progress): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await step();
        this.blocked = null;
        return result;
      } catch (err) {
        if (classifyFailure(err) !== 'transient') throw err;
        this.blocked ??= { since: new Date().toISOString(), reason: errorMessage(err) };
        const delay = backoffDelay(attempt, this.options.retry.initialDelayMs, TRANSIENT_BACKOFF_CAP_MS);
        this.logger.warn(`database unavailable (${errorMessage(err)}); retrying in ${delay} ms`);
        await this.pause(delay, progress);
      }
    }
  }

  /** Waits, heartbeating about every second; gives up when the consumer is stopping. */
  private async pause(ms: number, progress: Progress): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      if (!progress.isRunning()) throw new ConsumerStopping();
      const left = end - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, 1000));
      await progress.heartbeat();
    }
  }

  private count(topic: string, outcome: MessageOutcome): void {
    this.counts[outcome]++;
    this.metrics.events.inc({ topic, outcome });
  }
}

export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

function where(d: Delivery): string {
  return `${d.topic}[${d.partition}]@${d.offset}${d.seq !== null ? ` seq ${d.seq}` : ''}`;
}

function toDelivery(topic: string, partition: number, message: KafkaMessage): Delivery {
  const headers = headersToStrings(message.headers);
  const seqText = headers[HEADER_EVENT_SEQ];
  const seq = seqText !== undefined && /^[1-9]\d{0,15}$/.test(seqText) ? Number(seqText) : null;
  return {
    topic,
    partition,
    seq,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString('utf8'),
    headers,
    value: message.value === null ? null : message.value.toString('utf8'),
  };
}

/** A stable inbox id for a message that has no readable eventId (from its place in the stream). */
function deliveryId(d: Delivery): string {
  const h = createHash('sha256')
    .update(`${d.topic}|${d.partition}|${d.seq ?? `offset:${d.offset}`}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
