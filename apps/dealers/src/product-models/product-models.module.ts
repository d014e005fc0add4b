import { Module } from '@nestjs/common';
import { ProductModelsController } from './product-models.controller';
import { ProductModelsRepository } from './product-models.repository';
import { ProductModelsService } from './product-models.service';

@Module({
  controllers: [ProductModelsController],
  providers: [ProductModelsService, ProductModelsRepository],
  exports: [ProductModelsService],
})
export class ProductModelsModule {}
