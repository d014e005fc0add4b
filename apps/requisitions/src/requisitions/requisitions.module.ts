import { Module } from '@nestjs/common';
import { DealerDirectoryModule } from '@app/dealer-directory';
import { FundBalanceModule } from '../fund-balance/fund-balance.projection';
import { PriceListModule } from '../price-list/price-list.module';
import { RequisitionsController } from './requisitions.controller';
import { RequisitionsService } from './requisitions.service';

@Module({
  imports: [PriceListModule, FundBalanceModule, DealerDirectoryModule],
  controllers: [RequisitionsController],
  providers: [RequisitionsService],
  exports: [RequisitionsService],
})
export class RequisitionsModule {}
