import { Injectable } from '@nestjs/common';
import { EventConsumer } from './event-consumer';
import { KafkaClients } from './kafka-clients';
import { OutboxRelay } from './outbox-relay';

export interface MessagingHealth {
  up: boolean;
  details: Record<string, unknown>;
}

/** Kafka side of /health: producer usable (relay not failing) and consumer running. */
@Injectable()
export class MessagingHealthIndicator {
  readonly name = 'kafka';

  constructor(
    private readonly kafka: KafkaClients,
    private readonly relay: OutboxRelay,
    private readonly consumer: EventConsumer,
  ) {}

  async check(): Promise<MessagingHealth> {
    const producer = this.kafka.producerState();
    const relay = this.relay.state();
    const consumer = this.consumer.state();
    let pending: number | null = null;
    try {
      pending = await this.relay.pendingCount();
    } catch {
      pending = null;
    }
    // The producer connects lazily: with nothing to send it may not be connected yet,
    // which is healthy as long as the relay is not failing.
    const producerUp = !relay.failing && (producer.connected || pending === 0);
    const consumerUp = consumer === null || consumer.status === 'running';
    return {
      up: producerUp && consumerUp,
      details: {
        producer: { ...producer, up: producerUp },
        relay,
        outboxPending: pending,
        consumer: consumer ?? 'none',
      },
    };
  }
}
