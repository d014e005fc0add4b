import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { SubDistributorsController } from './sub-distributors.controller';
import { SubDistributorsRepository } from './sub-distributors.repository';
import { SubDistributorsService } from './sub-distributors.service';

@Module({
  imports: [RegistryModule],
  controllers: [SubDistributorsController],
  providers: [SubDistributorsService, SubDistributorsRepository],
  exports: [SubDistributorsService],
})
export class SubDistributorsModule {}
