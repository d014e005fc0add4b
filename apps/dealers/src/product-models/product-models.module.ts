import { Module } from '@nestjs/common';
import { ProductModelsController } from './product-models.controller';
import { ProductModelsService } from './product-models.service';

@Module({ controllers: [ProductModelsController], providers: [ProductModelsService], exports: [ProductModelsService] })
export class ProductModelsModule {}
