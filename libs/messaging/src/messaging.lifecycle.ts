import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EventConsumer } from './event-consumer';
import { KafkaClients } from './kafka-clients';
import { OutboxRelay } from './outbox-relay';

/** Starts the relay and the consumer after every module registered its handlers; stops them in order. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Messaging');

  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: EventConsumer,
    private readonly kafka: KafkaClients,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    // The broker may be down: the producer connects on first send, and the consumer start
    // is supervised (retried, then fatal) without holding up the HTTP server.
    void this.kafka
      .ensureProducer()
      .catch((err) => this.logger.warn(`producer not connected yet: ${err instanceof Error ? err.message : err}`));
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
    await this.relay.stop();
    await this.kafka.disconnectProducer();
    await this.kafka.disconnectAdmin();
  }
}
