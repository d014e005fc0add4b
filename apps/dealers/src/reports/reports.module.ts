import { Module } from '@nestjs/common';
import { MonthClosingModule } from '../month-closing/month-closing.module';
import { RegistryModule } from '../registry/registry.module';
import { ReportQueries } from './report-queries';
import { ReportsController } from './reports.controller';
import { SubmitMonthlyReportUseCase } from './submit-monthly-report.use-case';

/** Monthly reports (DOMAIN §3 parts 1, 3–7): JSON submission, versions, status and the list. */
@Module({
  imports: [RegistryModule, MonthClosingModule],
  controllers: [ReportsController],
  providers: [ReportQueries, SubmitMonthlyReportUseCase],
  exports: [ReportQueries, SubmitMonthlyReportUseCase],
})
export class ReportsModule {}
