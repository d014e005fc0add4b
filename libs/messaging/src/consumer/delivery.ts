import { KafkaMessage } from 'kafkajs';
import { createHash } from 'node:crypto';
import { headersToStrings } from '../dead-letter';
import { HEADER_EVENT_SEQ } from '../outbox.service';

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
  /** The failure of this event's handler in a run of events that was rolled back: its first try. */
  firstFailure?: unknown;
}

export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/** Where a delivery stands in its stream, for log lines. */
export function describeDelivery(d: Delivery): string {
  return `${d.topic}[${d.partition}]@${d.offset}${d.seq !== null ? ` seq ${d.seq}` : ''}`;
}

export function toDelivery(topic: string, partition: number, message: KafkaMessage): Delivery {
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
export function deliveryId(d: Delivery): string {
  const h = createHash('sha256')
    .update(`${d.topic}|${d.partition}|${d.seq ?? `offset:${d.offset}`}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
