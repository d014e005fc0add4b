import { deadLetterTopic, EventEnvelope, validateEnvelope, validatePayload } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Consumer, EachMessagePayload } from 'kafkajs';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { ConsumerSupervisor, SupervisedConsumer } from './consumer-supervisor';
import { buildDeadLetter } from './dead-letter';
import { EventHandlerRegistry } from './event-handler.registry';
import { KafkaClients } from './kafka-clients';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from './messaging.options';
import { errorMessage, withRetries } from './retry';

/** What became of one message (for logs, metrics and tests). */
export type MessageOutcome = 'applied' | 'duplicate' | 'skipped' | 'dead-lettered';

/** Grace period after an unexpected STOP to see whether kafkajs restarts by itself. */
const STOP_GRACE_MS = 300;

/**
 * The service's consumer: validate, skip what no handler wants, dead-letter what cannot be
 * read or keeps failing, apply the rest once (inbox) in one transaction with the effect.
 * Offsets are committed by kafkajs after eachMessage resolves, i.e. after the commit.
 */
@Injectable()
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private supervisor?: ConsumerSupervisor;
  private kafkaConsumer?: Consumer;
  private readonly counts: Record<MessageOutcome, number> = { applied: 0, duplicate: 0, skipped: 0, 'dead-lettered': 0 };
  private joined = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly kafka: KafkaClients,
    private readonly handlers: EventHandlerRegistry,
    private readonly dataSource: DataSource,
    private readonly cls: ClsService,
  ) {}

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
  }

  async stop(): Promise<void> {
    await this.supervisor?.stop();
  }

  /** null when this service consumes nothing. */
  state(): (ReturnType<ConsumerSupervisor['state']> & { groupId: string; topics: string[]; joined: boolean; counts: Record<MessageOutcome, number> }) | null {
    if (!this.supervisor) return null;
    return {
      ...this.supervisor.state(),
      groupId: this.groupId,
      topics: this.handlers.topics(),
      joined: this.joined,
      counts: { ...this.counts },
    };
  }

  isRunning(): boolean {
    return this.supervisor?.isRunning() ?? false;
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

    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      events.healthy();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (disposing) return;
      clearTimeout(stopTimer);
      if (payload.restart) {
        this.logger.warn(`consumer crashed, kafkajs restarts it: ${errorMessage(payload.error)}`);
        return;
      }
      this.joined = false;
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
          partitionsConsumedConcurrently: 1,
          eachMessage: (payload) => this.onMessage(payload),
        });
        this.logger.log(`consuming ${topics.join(', ')} as group ${this.groupId}`);
      },
      dispose: async () => {
        disposing = true;
        clearTimeout(stopTimer);
        if (this.kafkaConsumer === consumer) this.kafkaConsumer = undefined;
        await consumer.disconnect();
      },
    };
  }

  /** @internal Exposed for tests; kafkajs calls it for each message. */
  async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const outcome = await this.process({ topic, partition, message, heartbeat });
    this.counts[outcome]++;
  }

  private async process({ topic, partition, message, heartbeat }: Omit<EachMessagePayload, 'pause'>): Promise<MessageOutcome> {
    const text = message.value?.toString('utf8') ?? null;
    const where = `${topic}[${partition}]@${message.offset}`;
    const deadLetter = async (reason: string): Promise<MessageOutcome> => {
      const dl = buildDeadLetter(reason, {
        topic,
        partition,
        offset: message.offset,
        key: message.key,
        headers: message.headers,
        value: message.value,
      });
      // If this throws, kafkajs redelivers the message: it is never dropped silently.
      await this.kafka.send({ topic: this.dlqTopic, messages: [{ key: dl.key, value: dl.value, headers: dl.headers }] });
      this.logger.warn(`dead-lettered ${where} to ${this.dlqTopic}: ${reason}`);
      return 'dead-lettered';
    };

    if (text === null) return deadLetter('empty message value');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return deadLetter(`value is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const env = validateEnvelope(raw);
    if (!env.ok) return deadLetter(env.reason);
    const entry = this.handlers.lookup(env.envelope.type, env.envelope.version);
    if (!entry) {
      this.logger.debug(`no handler for ${env.envelope.type} v${env.envelope.version} at ${where}; skipped`);
      return 'skipped';
    }
    const payload = validatePayload(entry.definition, env.envelope.payload);
    if (!payload.ok) return deadLetter(payload.reason);
    const envelope = env.envelope as EventEnvelope<unknown>;
    envelope.payload = payload.payload;

    const result = await this.cls.run(async () => {
      this.cls.set('correlationId', envelope.correlationId);
      this.cls.set('causationId', envelope.eventId);
      return withRetries(
        this.options.retry,
        () =>
          this.dataSource.transaction(async (em) => {
            const inserted: unknown[] = await em.query(
              `INSERT INTO inbox_processed_events (consumer_group, event_id) VALUES ($1, $2)
               ON CONFLICT DO NOTHING RETURNING event_id`,
              [this.groupId, envelope.eventId],
            );
            if (inserted.length === 0) return 'duplicate' as const;
            for (const handler of entry.handlers) await handler(envelope, em);
            return 'applied' as const;
          }),
        {
          beforeRetry: async (attempt, err, delay) => {
            this.logger.warn(
              `handler of ${envelope.type} v${envelope.version} (${envelope.eventId}) failed, try ${attempt}/${this.options.retry.attempts}, retrying in ${delay} ms: ${errorMessage(err)}`,
            );
            await heartbeat().catch(() => undefined);
          },
        },
      );
    });
    if (result.ok) return result.value;
    return deadLetter(
      `handler failed after ${result.attempts} attempts: ${errorMessage(result.error)}`,
    );
  }
}
