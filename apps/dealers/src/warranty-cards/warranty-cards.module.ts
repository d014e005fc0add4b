import { Module } from '@nestjs/common';
import { MonthClosingModule } from '../month-closing/month-closing.module';
import { ProductModelsModule } from '../product-models/product-models.module';
import { RegistryModule } from '../registry/registry.module';
import { ShipmentsModule } from '../shipments/shipments.module';
import { SubDistributorsModule } from '../sub-distributors/sub-distributors.module';
import { SubmitWarrantyCardsUseCase } from './submit-warranty-cards.use-case';
import { WarrantyCardQueries } from './warranty-card-queries';
import { WarrantyCardListController, WarrantyCardsController } from './warranty-cards.controller';
import { WithdrawWarrantyCardUseCase } from './withdraw-warranty-card.use-case';

@Module({
  imports: [RegistryModule, MonthClosingModule, SubDistributorsModule, ProductModelsModule, ShipmentsModule],
  controllers: [WarrantyCardsController, WarrantyCardListController],
  providers: [SubmitWarrantyCardsUseCase, WithdrawWarrantyCardUseCase, WarrantyCardQueries],
  exports: [SubmitWarrantyCardsUseCase, WarrantyCardQueries],
})
export class WarrantyCardsModule {}
