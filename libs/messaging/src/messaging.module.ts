import { DynamicModule, Module } from '@nestjs/common';
import { EventConsumer } from './event-consumer';
import { EventHandlerRegistry } from './event-handler.registry';
import { KafkaClients } from './kafka-clients';
import { MessagingHealthIndicator } from './messaging.health';
import { MessagingLifecycle } from './messaging.lifecycle';
import { MESSAGING_OPTIONS, MessagingOptions, resolveMessagingOptions } from './messaging.options';
import { MessagingService } from './messaging.service';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';

/**
 * Kafka for a service: transactional outbox + relay, idempotent inbox consumer, dead letters.
 * Needs TypeORM's DataSource (TypeOrmModule.forRoot with messagingEntities and
 * messagingMigrations) and nestjs-cls' ClsService (ClsModule global).
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: resolveMessagingOptions(options) },
        KafkaClients,
        OutboxService,
        OutboxRelay,
        EventHandlerRegistry,
        MessagingService,
        EventConsumer,
        MessagingHealthIndicator,
        MessagingLifecycle,
      ],
      exports: [OutboxService, MessagingService, MessagingHealthIndicator, OutboxRelay, EventConsumer, MESSAGING_OPTIONS],
    };
  }
}
