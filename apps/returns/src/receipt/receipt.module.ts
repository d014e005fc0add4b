import { Module } from '@nestjs/common';
import { DealerDirectoryModule } from '@app/dealer-directory';
import { ApplicationsModule } from '../applications/applications.module';
import { ReceiptController } from './receipt.controller';
import { ReceiptRepository } from './receipt.repository';
import { ReceiveReturnUseCase } from './receive-return.use-case';

/** Receipt of returned goods (R-RET-3) and goods refused without an approved application (R-RET-1). */
@Module({
  imports: [DealerDirectoryModule, ApplicationsModule],
  controllers: [ReceiptController],
  providers: [ReceiptRepository, ReceiveReturnUseCase],
})
export class ReceiptModule {}
