import { deadLetterTopic } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload } from 'kafkajs';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { ConsumerPositions } from './consumer/consumer-positions';
import { Delivery, MessageOutcome, partitionKey, ProcessOptions, Progress, toDelivery } from './consumer/delivery';
import { GapFiller } from './consumer/gap-filler';
import { GapLedger } from './consumer/gap-ledger';
import { MessageProcessor, ReadyDelivery } from './consumer/message-processor';
import { ConsumerStopping, OutageWait } from './consumer/outage-wait';
import { PartitionLocks } from './consumer/partition-locks';
import { ConsumerSupervisor, SupervisedConsumer } from './consumer-supervisor';
import { EventFeedClient } from './event-feed/event-feed.client';
import { EventHandlerRegistry } from './event-handler.registry';
import { KafkaClients } from './kafka-clients';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from './messaging.options';
import { OutboxService } from './outbox.service';
import { errorMessage } from './retry';

export type { Delivery, MessageOutcome, ProcessOptions, Progress } from './consumer/delivery';
export { partitionKey } from './consumer/delivery';

/** Most events applied in one transaction (a run of one partition's fetched batch). */
const MAX_RUN = 50;

/** Grace period after an unexpected STOP to see whether kafkajs restarts by itself. */
const STOP_GRACE_MS = 300;

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
  private joined = false;
  private joinedAt = 0;
  private assignment: Record<string, number[]> = {};
  private readonly lastBatch = new Map<string, { at: number; caughtUp: boolean }>();
  private readonly locks = new PartitionLocks();
  private readonly positions: ConsumerPositions;
  readonly gaps: GapLedger;
  private readonly outage: OutageWait;
  private readonly processor: MessageProcessor;
  private readonly gapFiller: GapFiller;
  private offsetResets = 0;
  private tailTimer?: NodeJS.Timeout;
  private tailCheck?: Promise<void>;
  private stopping = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly kafka: KafkaClients,
    private readonly handlers: EventHandlerRegistry,
    dataSource: DataSource,
    cls: ClsService,
    outbox: OutboxService,
    private readonly metrics: MessagingMetrics,
  ) {
    this.positions = new ConsumerPositions(dataSource, options.consumerGroupId);
    this.gaps = new GapLedger(dataSource, options.consumerGroupId, metrics);
    this.outage = new OutageWait(options.retry.initialDelayMs, this.logger);
    this.processor = new MessageProcessor(
      options,
      handlers,
      dataSource,
      cls,
      outbox,
      metrics,
      this.positions,
      this.outage,
      this.logger,
    );
    const feed = new EventFeedClient(options.eventFeed);
    this.gapFiller = new GapFiller(
      feed,
      this.gaps,
      this.positions,
      this.locks,
      this.processor,
      this.outage,
      this.logger,
      options.gapGraceMs,
    );
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
      counts: { ...this.processor.counts },
      offsetResets: this.offsetResets,
      openGaps: this.gaps.openNow(),
      blocked: this.outage.blocked,
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
        const deliveries = batch.messages.map((message) => toDelivery(topic, partition, message));
        try {
          for (let i = 0; i < deliveries.length && progress.isRunning();) {
            const done = await this.consumeFrom(deliveries, i, progress);
            i += done;
            last = deliveries[i - 1].offset;
            if (!this.positions.dirty(topic, partition)) resolveOffset(last);
            await heartbeat();
          }
          if (last !== undefined && this.positions.dirty(topic, partition)) {
            await this.outage.untilStored(() => this.positions.flush(topic, partition), progress);
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

  /**
   * Consumes from `deliveries[i]` on and says how many it consumed: a run of consecutive events
   * ready for their handlers in one transaction (MessageProcessor.applyRun), or one message.
   * When a run rolls back, its events are applied one by one, the failing one with its failure.
   */
  private async consumeFrom(deliveries: Delivery[], i: number, progress: Progress): Promise<number> {
    const run = await this.readyRun(deliveries, i, progress);
    if (run.length < 2) {
      await this.consume(deliveries[i], progress, run[0]);
      return 1;
    }
    const outcome = await this.processor.applyRun(run);
    if (outcome.committed) return run.length;
    const before = run.slice(0, outcome.failedAt);
    if (before.length < 2 || !(await this.processor.applyRun(before)).committed)
      for (const ready of before) await this.consume(ready.delivery, progress, ready);
    const failing = run[outcome.failedAt];
    await this.consume(failing.delivery, progress, failing, { firstFailure: outcome.failure });
    return outcome.failedAt + 1;
  }

  /** The events from `deliveries[i]` on that continue the partition's sequence and have handlers. */
  private async readyRun(deliveries: Delivery[], i: number, progress: Progress): Promise<ReadyDelivery[]> {
    const { topic, partition, seq } = deliveries[i];
    if (seq === null || deliveries[i + 1]?.seq !== seq + 1) return [];
    const next = await this.outage.untilStored(() => this.positions.next(topic, partition), progress);
    const run: ReadyDelivery[] = [];
    for (let j = i; j < deliveries.length && run.length < MAX_RUN; j++) {
      const delivery = deliveries[j];
      if (delivery.seq !== next + run.length) break;
      const reading = this.processor.read(delivery);
      if (reading.kind !== 'ready') break;
      run.push({ delivery, envelope: reading.envelope, entry: reading.entry });
    }
    return run;
  }

  /** A message in stream order: duplicates are passed over, a gap before it is filled first. */
  private async consume(
    delivery: Delivery,
    progress: Progress,
    ready?: ReadyDelivery,
    options: ProcessOptions = {},
  ): Promise<void> {
    const { topic, partition, seq } = delivery;
    if (seq === null) {
      await this.process(delivery, progress);
      return;
    }
    const next = await this.outage.untilStored(() => this.positions.next(topic, partition), progress);
    if (seq < next) {
      this.processor.count(topic, 'duplicate');
      return;
    }
    if (seq > next) {
      const cause = `sequence ${seq} arrived while ${next} was expected`;
      await this.gapFiller.fill({ topic, partition, fromSeq: next, toSeq: seq - 1 }, progress, cause);
    }
    await this.processor.process(delivery, progress, options, ready && { kind: 'ready', ...ready });
  }

  /**
   * Validates, finds the handlers and applies one message, or dead-letters it. Used for the
   * stream, for gap filling and for an operator's replay.
   */
  process(delivery: Delivery, progress: Progress, options: ProcessOptions = {}): Promise<MessageOutcome> {
    return this.processor.process(delivery, progress, options);
  }

  /** An idle, caught-up partition is compared with its producer's settled head now and then. */
  private async checkTails(): Promise<void> {
    if (!this.joined || this.stopping) return;
    const progress: Progress = { heartbeat: async () => undefined, isRunning: () => !this.stopping };
    await this.gapFiller.fillTails(this.assignment, (topic, partition) => this.isQuiet(topic, partition), progress);
  }

  /** Nothing has arrived for a grace period, the last batch was caught up, and nothing holds it. */
  private isQuiet(topic: string, partition: number): boolean {
    const key = partitionKey(topic, partition);
    const batch = this.lastBatch.get(key);
    const idleSince = Math.max(batch?.at ?? 0, this.joinedAt);
    if (this.locks.isHeld(key) || (batch && !batch.caughtUp)) return false;
    return Date.now() - idleSince >= this.options.gapGraceMs;
  }
}
