import { EventDefinition, EventEnvelope } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MESSAGING_OPTIONS, outboxChannel, ResolvedMessagingOptions } from './messaging.options';

export interface OutgoingEvent<P = unknown> {
  definition: EventDefinition<P>;
  dealerCode: string;
  payload: P;
}

/** Rows per INSERT (7 parameters each, far below PostgreSQL's 65,535). */
const ENQUEUE_CHUNK = 1000;

export const HEADER_CORRELATION_ID = 'correlation-id';
export const HEADER_CAUSATION_ID = 'causation-id';
export const HEADER_EVENT_TYPE = 'event-type';
export const HEADER_EVENT_VERSION = 'event-version';
export const HEADER_EVENT_ID = 'event-id';
/** Set by the relay: the message's gap-free sequence number within its topic and partition. */
export const HEADER_EVENT_SEQ = 'event-seq';

/** A message that is not an event envelope (a dead letter): sent as given. */
export interface OutgoingRecord {
  topic: string;
  key: string;
  type: string;
  /** JSON text. */
  value: string;
  headers: Record<string, string>;
}

/** Kafka headers of an envelope (the relay sends them as stored). */
export function envelopeHeaders(envelope: EventEnvelope<unknown>): Record<string, string> {
  const headers: Record<string, string> = {
    [HEADER_CORRELATION_ID]: envelope.correlationId,
    [HEADER_EVENT_TYPE]: envelope.type,
    [HEADER_EVENT_VERSION]: String(envelope.version),
    [HEADER_EVENT_ID]: envelope.eventId,
  };
  if (envelope.causationId) headers[HEADER_CAUSATION_ID] = envelope.causationId;
  return headers;
}

/** Who publishes and why: the fields every envelope of one enqueue shares. */
export interface EnvelopeContext {
  producer: string;
  correlationId: string;
  causationId: string | null;
  /** ISO 8601. */
  occurredAt: string;
}

/** The envelope of one outgoing event, under a new eventId. */
export function buildEnvelope<P>(
  { definition, dealerCode, payload }: OutgoingEvent<P>,
  context: EnvelopeContext,
): EventEnvelope<P> {
  if (!dealerCode) throw new Error(`event ${definition.type}: dealerCode is required`);
  return Object.assign(new EventEnvelope<P>(), {
    eventId: randomUUID(),
    type: definition.type,
    version: definition.version,
    occurredAt: context.occurredAt,
    producer: context.producer,
    dealerCode,
    correlationId: context.correlationId,
    causationId: context.causationId,
    payload,
  });
}

/** An EntityManager or a migration's QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Inserts envelopes as outbox rows (keyed by dealer code, with the event-type/event-version
 * headers), as the relay numbers and sends them. Does not notify the relay.
 */
export async function insertOutboxRows(
  db: Queryable,
  rows: ReadonlyArray<{ topic: string; envelope: EventEnvelope<unknown> }>,
): Promise<void> {
  // Multi-row VALUES with the envelope as its own json parameter: a large envelope (a 5,000-card
  // batch) is serialised once and stored as that text, neither escaped inside an array literal
  // nor decomposed into jsonb.
  for (let from = 0; from < rows.length; from += ENQUEUE_CHUNK) {
    const chunk = rows.slice(from, from + ENQUEUE_CHUNK);
    const params: unknown[] = [];
    const tuples = chunk.map(({ topic, envelope: e }, i) => {
      params.push(
        e.eventId,
        topic,
        e.dealerCode,
        e.type,
        e.version,
        JSON.stringify(e),
        JSON.stringify(envelopeHeaders(e)),
      );
      const p = i * 7;
      return `($${p + 1}::uuid, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::int, $${p + 6}::json, $${p + 7}::jsonb)`;
    });
    await db.query(
      `INSERT INTO outbox_messages (event_id, topic, message_key, type, version, envelope, headers) VALUES ${tuples.join(', ')}`,
      params,
    );
  }
}

/**
 * Writes events into the outbox in the caller's transaction. The relay publishes them after
 * the commit (NOTIFY wakes it; nothing is sent if the transaction rolls back).
 */
@Injectable()
export class OutboxService {
  private readonly channel: string;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly cls: ClsService,
  ) {
    this.channel = outboxChannel(options.serviceName);
  }

  /** Builds the envelopes (correlation/causation from the request or message context). */
  buildEnvelopes<P>(events: ReadonlyArray<OutgoingEvent<P>>): EventEnvelope<P>[] {
    const active = this.cls.isActive();
    const correlationId = (active ? this.cls.get<string | undefined>('correlationId') : undefined) ?? randomUUID();
    const causationId = (active ? this.cls.get<string | undefined>('causationId') : undefined) ?? null;
    const occurredAt = new Date().toISOString();
    const context = { producer: this.options.serviceName, correlationId, causationId, occurredAt };
    return events.map((event) => buildEnvelope(event, context));
  }

  async enqueue<P>(em: EntityManager, events: ReadonlyArray<OutgoingEvent<P>>): Promise<EventEnvelope<P>[]> {
    if (events.length === 0) return [];
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error('OutboxService.enqueue must be called with the EntityManager of an open transaction');
    }
    const envelopes = this.buildEnvelopes(events);
    await insertOutboxRows(
      em,
      envelopes.map((envelope, i) => ({ topic: events[i].definition.topic, envelope })),
    );
    await em.query(`SELECT pg_notify($1, '')`, [this.channel]);
    return envelopes;
  }

  /** Writes a non-event record (a dead letter) into the outbox in the caller's transaction. */
  async enqueueRecord(em: EntityManager, record: OutgoingRecord): Promise<void> {
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error('OutboxService.enqueueRecord must be called with the EntityManager of an open transaction');
    }
    await em.query(
      `INSERT INTO outbox_messages (event_id, topic, message_key, type, version, envelope, headers)
       VALUES ($1::uuid, $2, $3, $4, 1, $5::json, $6::jsonb)`,
      [randomUUID(), record.topic, record.key, record.type, record.value, JSON.stringify(record.headers)],
    );
    await em.query(`SELECT pg_notify($1, '')`, [this.channel]);
  }
}
