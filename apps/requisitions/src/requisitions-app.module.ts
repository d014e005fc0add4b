import { DynamicModule, Module } from '@nestjs/common';
import { DealerDirectoryModule, dealerDirectoryEntities, dealerDirectoryMigrations } from '@app/dealer-directory';
import { MessagingHealthIndicator, MessagingModule, messagingEntities, messagingMigrations } from '@app/messaging';
import { PlatformModule, ServiceConfig } from '@app/platform';

/** The requisitions service; it keeps its own projection of the dealer registry from the dealers' events. */
@Module({})
export class RequisitionsAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: RequisitionsAppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          entities: [...messagingEntities, ...dealerDirectoryEntities],
          migrations: [...messagingMigrations, ...dealerDirectoryMigrations],
          healthIndicators: [MessagingHealthIndicator],
        }),
        MessagingModule.forRoot({ serviceName: config.serviceName, brokers: config.kafka.brokers, idempotentProducer: config.kafka.idempotentProducer }),
        DealerDirectoryModule,
      ],
    };
  }
}
