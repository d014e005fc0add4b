import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { ProjectionsModule } from '../projections/projections.module';
import { StatementsModule } from '../statements/statements.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

/** Statements as PDF, XLSX and CSV (R-SET-9 explained on paper), the ledger as CSV for auditors. */
@Module({
  imports: [StatementsModule, ProjectionsModule, LedgerModule],
  controllers: [ExportsController],
  providers: [ExportsService],
})
export class ExportsModule {}
