import { DynamicModule, Module } from '@nestjs/common';
import { MessagingHealthIndicator, MessagingModule, messagingEntities, messagingMigrations } from '@app/messaging';
import { ClockModule, PlatformModule, ServiceConfig } from '@app/platform';
import { AgreementEntity } from './agreements/agreement.entity';
import { AgreementsModule } from './agreements/agreements.module';
import { DealersSchema1767400000000 } from './migrations/1767400000000-dealers-schema';
import { MonthClosing1767420000000 } from './migrations/1767420000000-month-closing';
import { ClosedMonthEntity } from './month-closing/closed-month.entity';
import { MonthClosingModule } from './month-closing/month-closing.module';
import { CatalogueAndShipments1767420000001 } from './migrations/1767420000001-catalogue-and-shipments';
import { WarrantyCardRules1767420000002 } from './migrations/1767420000002-warranty-card-rules';
import { ProductModelEntity } from './product-models/product-model.entity';
import { ProductModelsModule } from './product-models/product-models.module';
import { ShipmentImportEntity, ShippedSerialEntity } from './shipments/shipment.entity';
import { ShipmentsModule } from './shipments/shipments.module';
import { SubDistributorEntity } from './sub-distributors/sub-distributor.entity';
import { SubDistributorsModule } from './sub-distributors/sub-distributors.module';
import { DealerEntity } from './registry/dealer.entity';
import { RegistryModule } from './registry/registry.module';
import { MonthlyReports1767410000000 } from './migrations/1767410000000-monthly-reports';
import { MonthlyReportEntity, MonthlyReportPartEntity } from './reports/monthly-report.entity';
import { ReportsModule } from './reports/reports.module';
import { UploadsModule } from './uploads/uploads.module';
import { WarrantyCardBatchEntity, WarrantyCardEntity } from './warranty-cards/warranty-card.entity';
import { WarrantyCardsModule } from './warranty-cards/warranty-cards.module';
import { CallbackAuditEntity } from './callback-audits/callback-audit.entity';
import { CallbackAuditsModule } from './callback-audits/callback-audits.module';
import { ComplaintsModule } from './complaints/complaints.module';
import { ViolationsModule } from './violations/violations.module';
import { CallbackAudits1767430000000 } from './migrations/1767430000000-callback-audits';
import { CardRowsWithoutDealerFk1767440000000 } from './migrations/1767440000000-card-rows-without-dealer-fk';
import { CardIdentifiersCCollation1767440000001 } from './migrations/1767440000001-card-identifiers-c-collation';
import { Complaints1767430000001 } from './migrations/1767430000001-complaints';
import { Violations1767430000002 } from './migrations/1767430000002-violations';
import { RiskWeightedAudits1767450000030 } from './migrations/1767450000030-risk-weighted-audits';
import { RepublishRegistry1768000000000 } from './migrations/1768000000000-republish-registry';

export const dealersEntities = [
  DealerEntity,
  AgreementEntity,
  WarrantyCardEntity,
  WarrantyCardBatchEntity,
  ClosedMonthEntity,
  SubDistributorEntity,
  ProductModelEntity,
  ShipmentImportEntity,
  ShippedSerialEntity,
  MonthlyReportEntity,
  MonthlyReportPartEntity,
  CallbackAuditEntity,
];
export const dealersMigrations = [
  DealersSchema1767400000000,
  MonthClosing1767420000000,
  CatalogueAndShipments1767420000001,
  WarrantyCardRules1767420000002,
  CallbackAudits1767430000000,
  Complaints1767430000001,
  Violations1767430000002,
  MonthlyReports1767410000000,
  CardRowsWithoutDealerFk1767440000000,
  CardIdentifiersCCollation1767440000001,
  RiskWeightedAudits1767450000030,
  RepublishRegistry1768000000000,
];

/** The dealers service: registry, agreements, monthly reports and warranty cards. */
@Module({})
export class DealersAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: DealersAppModule,
      imports: [
        PlatformModule.forRoot({
          config,
          entities: [...messagingEntities, ...dealersEntities],
          migrations: [...messagingMigrations, ...dealersMigrations],
          healthIndicators: [MessagingHealthIndicator],
        }),
        MessagingModule.forService(config),
        ClockModule,
        RegistryModule,
        AgreementsModule,
        WarrantyCardsModule,
        MonthClosingModule,
        SubDistributorsModule,
        ProductModelsModule,
        ShipmentsModule,
        CallbackAuditsModule,
        ComplaintsModule,
        ViolationsModule,
        ReportsModule,
        UploadsModule,
      ],
    };
  }
}
