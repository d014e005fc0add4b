import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module';
import { MonthClosingModule } from '../month-closing/month-closing.module';
import { RegistryModule } from '../registry/registry.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { SubmitMonthlyReportUseCase } from './submit-monthly-report.use-case';

/** Monthly reports (DOMAIN §3 parts 1, 3–7): JSON submission, versions, status and the list. */
@Module({
  imports: [RegistryModule, MonthClosingModule, AgreementsModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsRepository, SubmitMonthlyReportUseCase],
  exports: [ReportsService, SubmitMonthlyReportUseCase],
})
export class ReportsModule {}
