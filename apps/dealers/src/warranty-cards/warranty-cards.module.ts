import { Module } from '@nestjs/common';
import { CallbackAuditsModule } from '../callback-audits/callback-audits.module';
import { MonthClosingModule } from '../month-closing/month-closing.module';
import { ProductModelsModule } from '../product-models/product-models.module';
import { RegistryModule } from '../registry/registry.module';
import { ShipmentsModule } from '../shipments/shipments.module';
import { SubDistributorsModule } from '../sub-distributors/sub-distributors.module';
import { SubmitWarrantyCardsUseCase } from './submit-warranty-cards.use-case';
import { WarrantyCardListController, WarrantyCardsController } from './warranty-cards.controller';
import { WarrantyCardsRepository } from './warranty-cards.repository';
import { WarrantyCardsService } from './warranty-cards.service';
import { WithdrawWarrantyCardUseCase } from './withdraw-warranty-card.use-case';

@Module({
  imports: [
    RegistryModule,
    MonthClosingModule,
    SubDistributorsModule,
    ProductModelsModule,
    ShipmentsModule,
    CallbackAuditsModule,
  ],
  controllers: [WarrantyCardsController, WarrantyCardListController],
  providers: [SubmitWarrantyCardsUseCase, WithdrawWarrantyCardUseCase, WarrantyCardsService, WarrantyCardsRepository],
  exports: [SubmitWarrantyCardsUseCase],
})
export class WarrantyCardsModule {}
