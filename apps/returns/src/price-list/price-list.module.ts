import { Module } from '@nestjs/common';
import { PartPricesController } from './part-prices.controller';
import { PartPricesProjection } from './part-prices.projection';

/** The price list learned from requisitions' events (R-PRT-1), for valuing refurbishment parts (R-RET-4). */
@Module({
  controllers: [PartPricesController],
  providers: [PartPricesProjection],
  exports: [PartPricesProjection],
})
export class PriceListModule {}
