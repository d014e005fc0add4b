import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { SubDistributorsController } from './sub-distributors.controller';
import { SubDistributorsService } from './sub-distributors.service';

@Module({
  imports: [RegistryModule],
  controllers: [SubDistributorsController],
  providers: [SubDistributorsService],
  exports: [SubDistributorsService],
})
export class SubDistributorsModule {}
