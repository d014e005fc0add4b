import { deadLetterTopic, EventEnvelope, validateEnvelope, validatePayload } from '@app/contracts';
import { Logger } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { DataSource, EntityManager } from 'typeorm';
import { buildDeadLetter } from '../dead-letter';
import { EventHandlerRegistry, RegisteredHandlers } from '../event-handler.registry';
import { classifyFailure, FailureKind } from '../failure-kind';
import { MessagingMetrics } from '../messaging.metrics';
import { ResolvedMessagingOptions } from '../messaging.options';
import { HEADER_EVENT_TYPE, HEADER_EVENT_VERSION, OutboxService } from '../outbox.service';
import { backoffDelay, errorMessage, retryDelays } from '../retry';
import { ConsumerPositions } from './consumer-positions';
import { Delivery, deliveryId, describeDelivery, MessageOutcome, ProcessOptions, Progress } from './delivery';
import { OutageWait, TRANSIENT_BACKOFF_CAP_MS } from './outage-wait';

/** The inbox row an event leaves: applied, or dead-lettered with the reason. */
interface InboxRow {
  outcome: 'applied' | 'dead-lettered';
  eventId: string;
  reason?: string;
}

/** What `read` makes of a message. */
export type Reading =
  | { kind: 'refuse'; reason: string; eventId: string | null }
  | { kind: 'skip' }
  | { kind: 'ready'; envelope: EventEnvelope<unknown>; entry: RegisteredHandlers };

/** A message ready for its handlers. */
export type ReadyDelivery = { delivery: Delivery } & Omit<Extract<Reading, { kind: 'ready' }>, 'kind'>;

/** A run committed, or nothing of it kept; `failure` is the handler failure of the event at `failedAt`. */
export type RunOutcome = { committed: true } | { committed: false; failedAt: number; failure: unknown };

/** Longest reason kept in the inbox. */
const MAX_REASON_LENGTH = 4000;

/**
 * Applies one message exactly once: validated, handed to its handlers in one transaction with its
 * inbox row and position move, or dead-lettered with the reason. An outage is retried until it
 * ends; an event the database refuses is dead-lettered at once; other failures after a few tries.
 */
export class MessageProcessor {
  readonly counts: Record<MessageOutcome, number> = { applied: 0, duplicate: 0, skipped: 0, 'dead-lettered': 0 };

  constructor(
    private readonly options: ResolvedMessagingOptions,
    private readonly handlers: EventHandlerRegistry,
    private readonly dataSource: DataSource,
    private readonly cls: ClsService,
    private readonly outbox: OutboxService,
    private readonly metrics: MessagingMetrics,
    private readonly positions: ConsumerPositions,
    private readonly outage: OutageWait,
    private readonly logger: Logger,
  ) {}

  private get groupId(): string {
    return this.options.consumerGroupId;
  }

  get dlqTopic(): string {
    return deadLetterTopic(this.options.consumerGroupId);
  }

  async process(
    delivery: Delivery,
    progress: Progress,
    options: ProcessOptions = {},
    reading: Reading = this.read(delivery),
  ): Promise<MessageOutcome> {
    const outcome = await this.decide(delivery, progress, options, reading);
    if (delivery.seq !== null && !options.replay && outcome === 'skipped')
      this.positions.passed(delivery.topic, delivery.partition, delivery.seq);
    this.count(delivery.topic, outcome);
    return outcome;
  }

  count(topic: string, outcome: MessageOutcome): void {
    this.counts[outcome]++;
    this.metrics.events.inc({ topic, outcome });
  }

  /**
   * What a message is, without acting on it: to be refused (dead-lettered) with a reason, passed
   * over (no handler wants it), or ready for its handlers with its validated envelope.
   */
  read(delivery: Delivery): Reading {
    const { value } = delivery;
    const refuse = (reason: string, eventId: string | null = null): Reading => ({ kind: 'refuse', reason, eventId });
    if (value === null) return refuse('empty message value');
    if (this.unwantedByHeaders(delivery)) return { kind: 'skip' };
    let raw: unknown;
    try {
      raw = JSON.parse(value);
    } catch (err) {
      return refuse(`value is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const env = validateEnvelope(raw);
    if (!env.ok) return refuse(env.reason);
    const entry = this.handlers.lookup(env.envelope.type, env.envelope.version);
    if (!entry) {
      const what = `${env.envelope.type} v${env.envelope.version}`;
      this.logger.debug(`no handler for ${what} at ${describeDelivery(delivery)}; skipped`);
      return { kind: 'skip' };
    }
    // Validation failures are final: dead-lettered at once, never retried.
    const payload = validatePayload(entry.definition, env.envelope.payload);
    if (!payload.ok) return refuse(payload.reason, env.envelope.eventId);
    const envelope = env.envelope as EventEnvelope<unknown>;
    envelope.payload = payload.payload;
    return { kind: 'ready', envelope, entry };
  }

  private async decide(
    delivery: Delivery,
    progress: Progress,
    options: ProcessOptions,
    reading: Reading,
  ): Promise<MessageOutcome> {
    if (reading.kind === 'refuse') return this.deadLetter(delivery, reading.reason, reading.eventId, progress, options);
    if (reading.kind === 'skip') return 'skipped';
    const { envelope, entry } = reading;
    return this.inEventContext(envelope, () => this.apply(delivery, envelope, entry, progress, options));
  }

  /** Runs `work` with the event's correlation and causation ids in the context (logs, audit, outbox). */
  private inEventContext<T>(envelope: EventEnvelope<unknown>, work: () => Promise<T>): Promise<T> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', envelope.correlationId);
      this.cls.set('causationId', envelope.eventId);
      return work();
    });
  }

  /**
   * Applies consecutive ready events of one partition in one transaction: their inbox rows, their
   * effects and one position move commit together, so exactly-once holds as for a single event,
   * with one commit for the run instead of one per event. Nothing is kept when any part fails:
   * the caller then applies them one by one, handing the failure to the event whose handler
   * failed as its first try.
   */
  async applyRun(run: ReadyDelivery[]): Promise<RunOutcome> {
    const { topic, partition } = run[0].delivery;
    const first = run[0].delivery.seq!;
    const last = run[run.length - 1].delivery.seq!;
    let at = -1;
    try {
      const outcomes = await this.dataSource.transaction(async (em) => {
        if ((await this.positions.lock(em, topic, partition, first)) > first) throw new RunOverlapsStored();
        const out: MessageOutcome[] = [];
        for (at = 0; at < run.length; at++) {
          const { delivery, envelope, entry } = run[at];
          const isNew = await this.insertInbox(em, delivery, { outcome: 'applied', eventId: envelope.eventId });
          if (isNew) await this.inEventContext(envelope, () => runHandlers(entry, envelope, em));
          out.push(isNew ? 'applied' : 'duplicate');
        }
        at = -1;
        await this.positions.move(em, topic, partition, last);
        return out;
      });
      this.positions.storedAs(topic, partition, last + 1);
      this.outage.blocked = null;
      for (const outcome of outcomes) this.count(topic, outcome);
      return { committed: true };
    } catch (err) {
      if (at < 0 || err instanceof RunOverlapsStored) return { committed: false, failedAt: 0, failure: undefined };
      this.logger.debug(
        `run of ${run.length} events at ${describeDelivery(run[0].delivery)} rolled back: ${errorMessage(err)}`,
      );
      return { committed: false, failedAt: at, failure: err };
    }
  }

  /**
   * Producers name an event's type and version in its headers: an event no handler wants is
   * passed over before its value is parsed (a card batch of 5,000 cards in a consumer that only
   * follows the dealer registry). Without those headers the envelope decides, as before.
   */
  private unwantedByHeaders(delivery: Delivery): boolean {
    const type = delivery.headers[HEADER_EVENT_TYPE];
    const version = Number(delivery.headers[HEADER_EVENT_VERSION]);
    if (!type || !Number.isInteger(version) || this.handlers.lookup(type, version)) return false;
    this.logger.debug(`no handler for ${type} v${version} at ${describeDelivery(delivery)}; skipped`);
    return true;
  }

  /** Tries the handlers until they succeed, the failure is final, or the tries are used up. */
  private async apply(
    delivery: Delivery,
    envelope: EventEnvelope<unknown>,
    entry: RegisteredHandlers,
    progress: Progress,
    options: ProcessOptions,
  ): Promise<MessageOutcome> {
    const row: InboxRow = { outcome: 'applied', eventId: envelope.eventId };
    for (let attempt = 1; ; attempt++) {
      try {
        // A run this event was part of failed in its handler: that was its first try.
        if (attempt === 1 && options.firstFailure !== undefined) throw options.firstFailure;
        const isNew = await this.recordOnce(delivery, options, row, (em) => runHandlers(entry, envelope, em));
        this.outage.blocked = null;
        return isNew ? 'applied' : 'duplicate';
      } catch (err) {
        const kind = classifyFailure(err);
        const final = this.finalFailure(kind, attempt, err);
        if (final) return this.deadLetter(delivery, final, envelope.eventId, progress, options);
        await this.waitToRetry(kind, attempt, envelope, err, progress);
      }
    }
  }

  /** The dead-letter reason when a failure is not to be retried; null while it is. */
  private finalFailure(kind: FailureKind, attempt: number, err: unknown): string | null {
    if (kind === 'poison') return `handler refused the event (not retried): ${errorMessage(err)}`;
    if (kind === 'unknown' && attempt >= this.options.retry.attempts)
      return `handler failed after ${attempt} attempts: ${errorMessage(err)}`;
    return null;
  }

  /** An outage is waited out for as long as it lasts; other failures by the retry policy. */
  private async waitToRetry(
    kind: FailureKind,
    attempt: number,
    envelope: EventEnvelope<unknown>,
    err: unknown,
    progress: Progress,
  ): Promise<void> {
    const transient = kind === 'transient';
    const delay = transient
      ? backoffDelay(attempt, this.options.retry.initialDelayMs, TRANSIENT_BACKOFF_CAP_MS)
      : retryDelays(this.options.retry)[attempt - 1];
    const tries = transient ? `try ${attempt}, until the outage ends` : `try ${attempt}/${this.options.retry.attempts}`;
    this.logger.warn(
      `handler of ${envelope.type} v${envelope.version} (${envelope.eventId}) failed, ${tries}, retrying in ${delay} ms: ${errorMessage(err)}`,
    );
    if (transient) this.outage.blockedBy(err);
    await this.outage.pause(delay, progress);
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
    const { topic, partition, offset, key, headers, value } = delivery;
    const dl = buildDeadLetter(reason, { topic, partition, offset, key, headers, value });
    const row: InboxRow = {
      outcome: 'dead-lettered',
      eventId: eventId ?? deliveryId(delivery),
      reason: reason.slice(0, MAX_REASON_LENGTH),
    };
    const queueDeadLetter = (em: EntityManager) =>
      this.outbox.enqueueRecord(em, {
        topic: this.dlqTopic,
        key: dl.key ?? '',
        type: 'dead-letter',
        value: dl.value,
        headers: dl.headers,
      });
    const isNew = await this.outage.untilStored(
      () => this.recordOnce(delivery, options, row, queueDeadLetter),
      progress,
    );
    if (!isNew) return 'duplicate';
    this.logger.warn(`dead-lettered ${describeDelivery(delivery)} to ${this.dlqTopic}: ${reason}`);
    return 'dead-lettered';
  }

  /**
   * The inbox row, the effect and the position move commit together. False when the event was
   * already recorded (or the stored position is past it): the effect did not run again.
   */
  private async recordOnce(
    delivery: Delivery,
    options: ProcessOptions,
    row: InboxRow,
    effect: (em: EntityManager) => Promise<unknown>,
  ): Promise<boolean> {
    const { topic, partition } = delivery;
    // A replay leaves positions alone: the inbox alone decides what was done.
    const trackedSeq = options.replay ? null : delivery.seq;
    const isNew = await this.dataSource.transaction(async (em) => {
      if (trackedSeq !== null && (await this.positions.lock(em, topic, partition, trackedSeq)) > trackedSeq)
        return false;
      const isNew = await this.insertInbox(em, delivery, row);
      if (isNew) await effect(em);
      if (trackedSeq !== null) await this.positions.move(em, topic, partition, trackedSeq);
      return isNew;
    });
    if (trackedSeq !== null) this.positions.storedAs(topic, partition, trackedSeq + 1);
    return isNew;
  }

  /** The event's inbox row; false when the group already recorded it. */
  private async insertInbox(em: EntityManager, delivery: Delivery, row: InboxRow): Promise<boolean> {
    const inserted: unknown[] = await em.query(
      `INSERT INTO inbox_processed_events (consumer_group, event_id, outcome, reason, topic, partition, seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING event_id`,
      [this.groupId, row.eventId, row.outcome, row.reason ?? null, delivery.topic, delivery.partition, delivery.seq],
    );
    return inserted.length > 0;
  }
}

async function runHandlers(
  entry: RegisteredHandlers,
  envelope: EventEnvelope<unknown>,
  em: EntityManager,
): Promise<void> {
  for (const handler of entry.handlers) await handler(envelope, em);
}

/** The stored position is already past the run's first event: it is applied one event at a time. */
class RunOverlapsStored extends Error {}
