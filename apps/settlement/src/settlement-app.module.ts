import { DynamicModule, Module } from '@nestjs/common';
import { dealerDirectoryEntities, dealerDirectoryMigrations } from '@app/dealer-directory';
import { MessagingHealthIndicator, MessagingModule, messagingEntities, messagingMigrations } from '@app/messaging';
import { PlatformModule, ServiceConfig } from '@app/platform';
import { BalanceModule } from './balance/balance.module';
import { SettlementSchema1767500000000 } from './migrations/1767500000000-settlement-schema';
import { ProjectionsModule } from './projections/projections.module';

export const settlementMigrations = [SettlementSchema1767500000000];

/** The settlement service: projections of every fact, tallies, statements, ledger. */
@Module({})
export class SettlementAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: SettlementAppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          entities: [...messagingEntities, ...dealerDirectoryEntities],
          migrations: [...messagingMigrations, ...dealerDirectoryMigrations, ...settlementMigrations],
          healthIndicators: [MessagingHealthIndicator],
        }),
        MessagingModule.forRoot({ serviceName: config.serviceName, brokers: config.kafka.brokers, idempotentProducer: config.kafka.idempotentProducer }),
        ProjectionsModule,
        BalanceModule,
      ],
    };
  }
}
