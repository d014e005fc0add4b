import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { ProjectionsModule } from '../projections/projections.module';
import { DisputesRepository } from './disputes.repository';
import { DisputesService } from './disputes.service';
import { SettlementRunsRepository } from './settlement-runs.repository';
import { SettlementRunsService } from './settlement-runs.service';
import { StatementComputer } from './statement-computer';
import { StatementLifecycleService } from './statement-lifecycle.service';
import { DisputesController, SettlementsController, StatementsController } from './statements.controller';
import { StatementsRepository } from './statements.repository';
import { VerificationService } from './verification.service';
import { ChainVerificationService } from './chain-verification.service';
import { StatementChainRepository } from './statement-chain.repository';
import { StatementHistoryService } from './statement-history.service';

/** Quarterly runs, statements and their lifecycle, disputes and verification (R-SET-2, R-SET-8, R-SET-9, R-DSP-1/2). */
@Module({
  imports: [ProjectionsModule, LedgerModule],
  controllers: [SettlementsController, StatementsController, DisputesController],
  providers: [
    StatementsRepository,
    DisputesRepository,
    SettlementRunsRepository,
    StatementComputer,
    SettlementRunsService,
    StatementLifecycleService,
    DisputesService,
    VerificationService,
    StatementChainRepository,
    ChainVerificationService,
    StatementHistoryService,
  ],
  exports: [StatementsRepository, StatementComputer, SettlementRunsService],
})
export class StatementsModule {}
