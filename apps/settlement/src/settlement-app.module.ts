import { DynamicModule, Module } from '@nestjs/common';
import { dealerDirectoryEntities, dealerDirectoryMigrations } from '@app/dealer-directory';
import { MessagingHealthIndicator, MessagingModule, messagingEntities, messagingMigrations } from '@app/messaging';
import { ClockModule, PlatformModule, ServiceConfig } from '@app/platform';
import { AuditChainHeadsModule } from './audit-chain-heads/audit-chain-heads.module';
import { BalanceModule } from './balance/balance.module';
import { ExportsModule } from './exports/exports.module';
import { FinanceModule } from './finance/finance.module';
import { LedgerModule } from './ledger/ledger.module';
import { SettlementSchema1767500000000 } from './migrations/1767500000000-settlement-schema';
import { SettlementFacts1767510000000 } from './migrations/1767510000000-settlement-facts';
import { Statements1767515000000 } from './migrations/1767515000000-statements';
import { CardFactsCoveringIndex1767516000000 } from './migrations/1767516000000-card-facts-covering-index';
import { WideTotals1767517000000 } from './migrations/1767517000000-wide-totals';
import { PendingMonths1767520000000 } from './migrations/1767520000000-pending-months';
import { LateCardIndexes1767800000000 } from './migrations/1767800000000-late-card-indexes';
import { AuditChainHeads1767900000000 } from './migrations/1767900000000-audit-chain-heads';
import { Simulations1767910000000 } from './migrations/1767910000000-simulations';
import { StatementChainAndHistory1767920000000 } from './migrations/1767920000000-statement-chain-and-history';
import { ProjectionsModule } from './projections/projections.module';
import { SimulationsModule } from './simulations/simulations.module';
import { StatementsModule } from './statements/statements.module';
import { TalliesModule } from './tallies/tallies.module';

export const settlementMigrations = [
  SettlementSchema1767500000000,
  SettlementFacts1767510000000,
  Statements1767515000000,
  CardFactsCoveringIndex1767516000000,
  WideTotals1767517000000,
  PendingMonths1767520000000,
  LateCardIndexes1767800000000,
  AuditChainHeads1767900000000,
  Simulations1767910000000,
  StatementChainAndHistory1767920000000,
];

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
        ClockModule,
        MessagingModule.forService(config),
        ProjectionsModule,
        BalanceModule,
        FinanceModule,
        TalliesModule,
        StatementsModule,
        LedgerModule,
        ExportsModule,
        AuditChainHeadsModule,
        SimulationsModule,
      ],
    };
  }
}
