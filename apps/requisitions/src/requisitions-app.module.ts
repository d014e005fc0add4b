import { DynamicModule, Module } from '@nestjs/common';
import { DealerDirectoryModule, dealerDirectoryEntities, dealerDirectoryMigrations } from '@app/dealer-directory';
import { MessagingHealthIndicator, MessagingModule, messagingEntities, messagingMigrations } from '@app/messaging';
import { ClockModule, PlatformModule, ServiceConfig } from '@app/platform';
import { FundBalanceModule } from './fund-balance/fund-balance.module';
import { RequisitionsSchema1767600000000 } from './migrations/1767600000000-requisitions-schema';
import { RequisitionFiledOn1767610000000 } from './migrations/1767610000000-requisition-filed-on';
import { OldPartsModule } from './old-parts/old-parts.module';
import { PartsStatementModule } from './parts-statement/parts-statement.module';
import { PriceListModule } from './price-list/price-list.module';
import { RequisitionsModule } from './requisitions/requisitions.module';

export const requisitionsMigrations = [RequisitionsSchema1767600000000, RequisitionFiledOn1767610000000];

export interface RequisitionsAppOptions {
  /** How often the old-part sweep runs (R-PRT-4); unset or null: never on a timer (tests drive it). main.ts sets hourly. */
  oldPartsSweepIntervalMs?: number | null;
}

/** The requisitions service; it keeps its own projection of the dealer registry from the dealers' events. */
@Module({})
export class RequisitionsAppModule {
  static register(config: ServiceConfig, options: RequisitionsAppOptions = {}): DynamicModule {
    return {
      module: RequisitionsAppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          entities: [...messagingEntities, ...dealerDirectoryEntities],
          migrations: [...messagingMigrations, ...dealerDirectoryMigrations, ...requisitionsMigrations],
          healthIndicators: [MessagingHealthIndicator],
        }),
        MessagingModule.forService(config),
        DealerDirectoryModule,
        ClockModule,
        PriceListModule,
        FundBalanceModule,
        RequisitionsModule,
        OldPartsModule.register({ sweepIntervalMs: options.oldPartsSweepIntervalMs ?? null }),
        PartsStatementModule,
      ],
    };
  }
}
