import { DynamicModule, Module } from '@nestjs/common';
import { MessagingHealthIndicator, MessagingModule, messagingEntities, messagingMigrations } from '@app/messaging';
import { PlatformModule, ServiceConfig } from '@app/platform';
import { AgreementEntity } from './agreements/agreement.entity';
import { AgreementsModule } from './agreements/agreements.module';
import { DealersSchema1767400000000 } from './migrations/1767400000000-dealers-schema';
import { DealerEntity } from './registry/dealer.entity';
import { RegistryModule } from './registry/registry.module';
import { WarrantyCardBatchEntity, WarrantyCardEntity } from './warranty-cards/warranty-card.entity';
import { WarrantyCardsModule } from './warranty-cards/warranty-cards.module';

export const dealersEntities = [DealerEntity, AgreementEntity, WarrantyCardEntity, WarrantyCardBatchEntity];
export const dealersMigrations = [DealersSchema1767400000000];

/** The dealers service: registry, agreements, monthly reports and warranty cards. */
@Module({})
export class DealersAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: DealersAppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          entities: [...messagingEntities, ...dealersEntities],
          migrations: [...messagingMigrations, ...dealersMigrations],
          healthIndicators: [MessagingHealthIndicator],
        }),
        MessagingModule.forRoot({ serviceName: config.serviceName, brokers: config.kafka.brokers, idempotentProducer: config.kafka.idempotentProducer }),
        RegistryModule,
        AgreementsModule,
        WarrantyCardsModule,
      ],
    };
  }
}
