import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { ExportsController } from '../exports/exports.controller';
import { ConsumedEventsController, LedgerController } from '../ledger/ledger.controller';
import { DisputesService } from './disputes.service';
import { SettlementRunsService } from './settlement-runs.service';
import { StatementComputer } from './statement-computer';
import { StatementLifecycleService } from './statement-lifecycle.service';
import { StatementStore } from './statement-store';
import { DisputesController, SettlementsController, StatementsController } from './statements.controller';
import { VerificationService } from './verification.service';

/** Quarterly runs, statements and their lifecycle, ledger, disputes, verification and exports (R-SET-2, R-SET-8, R-SET-9, R-DSP-1/2). */
@Module({
  imports: [ProjectionsModule],
  controllers: [
    SettlementsController,
    StatementsController,
    DisputesController,
    LedgerController,
    ConsumedEventsController,
    ExportsController,
  ],
  providers: [
    StatementStore,
    StatementComputer,
    SettlementRunsService,
    StatementLifecycleService,
    DisputesService,
    VerificationService,
  ],
  exports: [StatementStore, StatementComputer, SettlementRunsService],
})
export class StatementsModule {}
