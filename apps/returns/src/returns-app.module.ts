import { DynamicModule, Module } from '@nestjs/common';
import { DealerDirectoryModule, dealerDirectoryEntities, dealerDirectoryMigrations } from '@app/dealer-directory';
import { MessagingHealthIndicator, MessagingModule, messagingEntities, messagingMigrations } from '@app/messaging';
import { ClockModule, PlatformModule, ServiceConfig } from '@app/platform';
import { ReturnsModule, returnsEntities, returnsMigrations } from './returns.module';

/** The returns service; it keeps its own projection of the dealer registry from the dealers' events. */
@Module({})
export class ReturnsAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: ReturnsAppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          entities: [...messagingEntities, ...dealerDirectoryEntities, ...returnsEntities],
          migrations: [...messagingMigrations, ...dealerDirectoryMigrations, ...returnsMigrations],
          healthIndicators: [MessagingHealthIndicator],
        }),
        MessagingModule.forService(config),
        ClockModule,
        DealerDirectoryModule,
        ReturnsModule,
      ],
    };
  }
}
