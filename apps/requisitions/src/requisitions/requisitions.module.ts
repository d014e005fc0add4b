import { Module } from '@nestjs/common';
import { DealerDirectoryModule } from '@app/dealer-directory';
import { FundBalanceModule } from '../fund-balance/fund-balance.module';
import { PriceListModule } from '../price-list/price-list.module';
import { ApproveRequisitionUseCase } from './approve-requisition.use-case';
import { RequisitionChanges } from './requisition-changes';
import { RequisitionsController } from './requisitions.controller';
import { RequisitionsRepository } from './requisitions.repository';
import { RequisitionsService } from './requisitions.service';
import { ShipRequisitionUseCase } from './ship-requisition.use-case';

@Module({
  imports: [PriceListModule, FundBalanceModule, DealerDirectoryModule],
  controllers: [RequisitionsController],
  providers: [
    RequisitionsRepository,
    RequisitionsService,
    RequisitionChanges,
    ApproveRequisitionUseCase,
    ShipRequisitionUseCase,
  ],
  exports: [RequisitionsRepository, RequisitionsService, RequisitionChanges],
})
export class RequisitionsModule {}
