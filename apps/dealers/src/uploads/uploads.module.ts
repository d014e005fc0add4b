import { Module } from '@nestjs/common';
import { ProductModelsModule } from '../product-models/product-models.module';
import { RegistryModule } from '../registry/registry.module';
import { ReportsModule } from '../reports/reports.module';
import { SubDistributorsModule } from '../sub-distributors/sub-distributors.module';
import { WarrantyCardsModule } from '../warranty-cards/warranty-cards.module';
import { ReportTemplateService } from './report-template.service';
import { UploadMonthlyReportUseCase } from './upload-monthly-report.use-case';
import { UploadsController } from './uploads.controller';

/** R-REP-3: the monthly report's forms uploaded as XLSX or CSV, and the template to fill. */
@Module({
  imports: [ReportsModule, WarrantyCardsModule, RegistryModule, SubDistributorsModule, ProductModelsModule],
  controllers: [UploadsController],
  providers: [UploadMonthlyReportUseCase, ReportTemplateService],
})
export class UploadsModule {}
