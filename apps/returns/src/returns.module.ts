import { Module } from '@nestjs/common';
import { DealerDirectoryModule } from '@app/dealer-directory';
import { ReturnsController } from './applications/returns.controller';
import {
  ReturnApplicationEntity,
  ReturnChargeEntity,
  ReturnLineEntity,
  ReturnPartEntity,
} from './applications/return.entity';
import { ReturnsService } from './applications/returns.service';
import { BatchDefectEntity } from './batch-defects/batch-defect.entity';
import { BatchDefectsController } from './batch-defects/batch-defects.controller';
import { BatchDefectsService } from './batch-defects/batch-defects.service';
import { CloseReturnUseCase } from './charges/close-return.use-case';
import { ReceiveReturnUseCase } from './receipt/receive-return.use-case';
import { RefusedGoodsEntity } from './receipt/refused-goods.entity';
import { ReturnsSchema1767700000000 } from './migrations/1767700000000-returns-schema';

export const returnsEntities = [
  ReturnApplicationEntity,
  ReturnLineEntity,
  ReturnPartEntity,
  ReturnChargeEntity,
  BatchDefectEntity,
  RefusedGoodsEntity,
];
export const returnsMigrations = [ReturnsSchema1767700000000];

/** Return applications (R-RET-1), classification (R-RET-2), receipt (R-RET-3) and charges (R-RET-4). */
@Module({
  imports: [DealerDirectoryModule],
  controllers: [ReturnsController, BatchDefectsController],
  providers: [ReturnsService, BatchDefectsService, ReceiveReturnUseCase, CloseReturnUseCase],
})
export class ReturnsModule {}
