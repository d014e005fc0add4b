export interface RetryPolicy {
  /** Total tries of a handler before the event is dead-lettered (>= 1). */
  attempts: number;
  /** Delay before the second try; doubles after each failure. */
  initialDelayMs: number;
}

export interface MessagingOptions {
  /** Producer name in envelopes, NOTIFY channel suffix, relay lock key. */
  serviceName: string;
  brokers: string[];
  /** true on real Kafka; the local mock broker does not support it. */
  idempotentProducer: boolean;
  /** How long the broker may hold an empty fetch (see ServiceConfig.kafka). Default 250. */
  fetchMaxWaitMs?: number;
  /** Default: serviceName. */
  consumerGroupId?: string;
  /** Fallback poll of the outbox (NOTIFY is the fast path). Default 1000. */
  relayPollMs?: number;
  /** Handler retries before dead-lettering. Default 5 attempts from 200 ms doubling. */
  retry?: RetryPolicy;
  /** Consumer re-creation budget of the crash guard. Default 5 tries from 500 ms doubling. */
  consumerRestart?: RetryPolicy;
  /** Called when the consumer cannot be brought back. Default: log and process.exit(1). */
  onFatal?: (err: Error) => void;
  /** How long published outbox rows stay available to consumers filling a gap. Default 7 days. */
  outboxRetentionMs?: number;
  /** Where this consumer fetches what the broker lost, by producing service. */
  eventFeed?: EventFeedOptions;
  /** How often an idle partition is compared with its producer's head (lost tail). Default 30 s. */
  gapCheckMs?: number;
  /** A producer's message counts as overdue once published this long ago. Default 10 s. */
  gapGraceMs?: number;
}

export interface EventFeedOptions {
  /** Base URL of each producing service (`dealers` → `http://dealers:3001`). */
  sources: Readonly<Record<string, string>>;
  /** Bearer token for the producers' event feed (read-only). */
  token: () => string | undefined;
}

export interface ResolvedMessagingOptions {
  serviceName: string;
  brokers: string[];
  idempotentProducer: boolean;
  fetchMaxWaitMs: number;
  consumerGroupId: string;
  relayPollMs: number;
  retry: RetryPolicy;
  consumerRestart: RetryPolicy;
  onFatal?: (err: Error) => void;
  outboxRetentionMs: number;
  eventFeed: EventFeedOptions;
  gapCheckMs: number;
  gapGraceMs: number;
}

export const DEFAULT_OUTBOX_RETENTION_MS = 7 * 24 * 3600_000;

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export function resolveMessagingOptions(o: MessagingOptions): ResolvedMessagingOptions {
  if (!o.serviceName || !/^[A-Za-z0-9._-]+$/.test(o.serviceName)) {
    throw new Error(`MessagingModule: invalid serviceName "${o.serviceName}"`);
  }
  if (!o.brokers?.length) throw new Error('MessagingModule: at least one broker is required');
  const retry = o.retry ?? { attempts: 5, initialDelayMs: 200 };
  const consumerRestart = o.consumerRestart ?? { attempts: 5, initialDelayMs: 500 };
  for (const [name, p] of [
    ['retry', retry],
    ['consumerRestart', consumerRestart],
  ] as const) {
    if (!Number.isInteger(p.attempts) || p.attempts < 1 || !(p.initialDelayMs >= 0)) {
      throw new Error(`MessagingModule: ${name} needs attempts >= 1 and initialDelayMs >= 0`);
    }
  }
  return {
    serviceName: o.serviceName,
    brokers: o.brokers,
    idempotentProducer: o.idempotentProducer,
    fetchMaxWaitMs: o.fetchMaxWaitMs ?? 250,
    consumerGroupId: o.consumerGroupId ?? o.serviceName,
    relayPollMs: o.relayPollMs ?? 1000,
    retry,
    consumerRestart,
    onFatal: o.onFatal,
    outboxRetentionMs: o.outboxRetentionMs ?? DEFAULT_OUTBOX_RETENTION_MS,
    eventFeed: o.eventFeed ?? { sources: {}, token: () => undefined },
    gapCheckMs: o.gapCheckMs ?? 30_000,
    gapGraceMs: o.gapGraceMs ?? 10_000,
  };
}

/** LISTEN/NOTIFY channel of a service's outbox. */
export function outboxChannel(serviceName: string): string {
  return `outbox_${serviceName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}
