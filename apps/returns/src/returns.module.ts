import { Module } from '@nestjs/common';
import { ApplicationsModule } from './applications/applications.module';
import {
  ReturnApplicationEntity,
  ReturnChargeEntity,
  ReturnLineEntity,
  ReturnPartEntity,
} from './applications/return.entity';
import { BatchDefectEntity } from './batch-defects/batch-defect.entity';
import { BatchDefectsModule } from './batch-defects/batch-defects.module';
import { ChargesModule } from './charges/charges.module';
import { ReceiptModule } from './receipt/receipt.module';
import { RefusedGoodsEntity } from './receipt/refused-goods.entity';
import { ReturnsSchema1767700000000 } from './migrations/1767700000000-returns-schema';
import { PartPrices1767710000000 } from './migrations/1767710000000-part-prices';
import { PriceListModule } from './price-list/price-list.module';

export const returnsEntities = [
  ReturnApplicationEntity,
  ReturnLineEntity,
  ReturnPartEntity,
  ReturnChargeEntity,
  BatchDefectEntity,
  RefusedGoodsEntity,
];
export const returnsMigrations = [ReturnsSchema1767700000000, PartPrices1767710000000];

/**
 * Return applications (R-RET-1), classification (R-RET-2), receipt (R-RET-3) and charges (R-RET-4), with the price
 * list learned from requisitions' events.
 */
@Module({ imports: [ApplicationsModule, BatchDefectsModule, ReceiptModule, PriceListModule, ChargesModule] })
export class ReturnsModule {}
