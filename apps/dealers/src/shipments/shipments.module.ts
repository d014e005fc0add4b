import { Module } from '@nestjs/common';
import { ProductModelsModule } from '../product-models/product-models.module';
import { RegistryModule } from '../registry/registry.module';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

@Module({
  imports: [ProductModelsModule, RegistryModule],
  controllers: [ShipmentsController],
  providers: [ShipmentsService, ShipmentsRepository],
  exports: [ShipmentsService],
})
export class ShipmentsModule {}
