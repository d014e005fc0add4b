import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { ConsumedEventsController, LedgerController } from './ledger.controller';
import { LedgerRepository } from './ledger.repository';

/** The ledger written by posting (R-SET-8) and the consumed events, read-only for auditors. */
@Module({
  imports: [ProjectionsModule],
  controllers: [LedgerController, ConsumedEventsController],
  providers: [LedgerRepository],
  exports: [LedgerRepository],
})
export class LedgerModule {}
