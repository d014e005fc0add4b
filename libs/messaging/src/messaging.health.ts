import { Injectable } from '@nestjs/common';
import { EventConsumer } from './event-consumer';
import { KafkaClients } from './kafka-clients';
import { OutboxRelay } from './outbox-relay';

export interface MessagingHealth {
  up: boolean;
  details: Record<string, unknown>;
}

/** A consumer retrying an outage for longer than this counts as not consuming. */
const BLOCKED_TOLERANCE_MS = 15_000;

/**
 * Kafka side of /health. Down while: a broker does not answer; the relay is failing; the
 * consumer is not running or not in its group; a gap is open or lost events are not acknowledged;
 * the consumer has been retrying an outage for a while.
 */
@Injectable()
export class MessagingHealthIndicator {
  readonly name = 'kafka';

  constructor(
    private readonly kafka: KafkaClients,
    private readonly relay: OutboxRelay,
    private readonly consumer: EventConsumer,
  ) {}

  async check(): Promise<MessagingHealth> {
    const [broker, pending, lostGaps] = await Promise.all([
      this.kafka.ping(),
      this.relay.pendingCount().catch(() => null),
      this.consumer.state()
        ? this.consumer.gaps
            .unresolved()
            .then((g) => g.filter((x) => x.status === 'LOST'))
            .catch(() => [])
        : Promise.resolve([]),
    ]);
    const producer = this.kafka.producerState();
    const relay = this.relay.state();
    const consumer = this.consumer.state();
    // The producer connects lazily: with nothing to send it may not be connected yet,
    // which is healthy as long as the relay is not failing.
    const producerUp = !relay.failing && (producer.connected || pending === 0);
    const blockedTooLong =
      !!consumer?.blocked && Date.now() - Date.parse(consumer.blocked.since) > BLOCKED_TOLERANCE_MS;
    const consumerUp = consumer === null || (consumer.status === 'running' && consumer.joined && !blockedTooLong);
    const gapsUp = (consumer?.openGaps.length ?? 0) === 0 && lostGaps.length === 0;
    return {
      up: broker.reachable && producerUp && consumerUp && gapsUp,
      details: {
        broker,
        producer: { ...producer, up: producerUp },
        relay,
        outboxPending: pending,
        consumer: consumer ? { ...consumer, up: consumerUp } : 'none',
        gaps: { open: consumer?.openGaps ?? [], lost: lostGaps, up: gapsUp },
      },
    };
  }
}
