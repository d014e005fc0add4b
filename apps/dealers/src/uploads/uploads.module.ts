import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { WarrantyCardsModule } from '../warranty-cards/warranty-cards.module';
import { UploadMonthlyReportUseCase } from './upload-monthly-report.use-case';
import { UploadsController } from './uploads.controller';

/** R-REP-3: the monthly report's forms uploaded as XLSX or CSV, and the template to fill. */
@Module({
  imports: [ReportsModule, WarrantyCardsModule],
  controllers: [UploadsController],
  providers: [UploadMonthlyReportUseCase],
})
export class UploadsModule {}
