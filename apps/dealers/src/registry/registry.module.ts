import { Module } from '@nestjs/common';
import { DealersController } from './dealers.controller';
import { DealersRepository } from './dealers.repository';
import { DealersService } from './dealers.service';

@Module({
  controllers: [DealersController],
  providers: [DealersService, DealersRepository],
  exports: [DealersService, DealersRepository],
})
export class RegistryModule {}
