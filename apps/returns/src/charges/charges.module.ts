import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { PriceListModule } from '../price-list/price-list.module';
import { ChargesController } from './charges.controller';
import { CloseReturnUseCase } from './close-return.use-case';
import { ReturnChargesRepository } from './return-charges.repository';

/** Closing a return: its charges (R-RET-4) and the ReturnClosed event. */
@Module({
  imports: [ApplicationsModule, PriceListModule],
  controllers: [ChargesController],
  providers: [ReturnChargesRepository, CloseReturnUseCase],
})
export class ChargesModule {}
