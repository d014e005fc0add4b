import { Module } from '@nestjs/common';
import { DealerDirectoryModule } from '@app/dealer-directory';
import { BatchDefectsModule } from '../batch-defects/batch-defects.module';
import { ReturnChanges } from './return-changes';
import { ReturnViews } from './return-views';
import { ReturnsController } from './returns.controller';
import { ReturnsRepository } from './returns.repository';
import { ReturnsService } from './returns.service';

/** Return applications (R-RET-1) and their approval with a class (R-RET-2); receipt and closing build on them. */
@Module({
  imports: [DealerDirectoryModule, BatchDefectsModule],
  controllers: [ReturnsController],
  providers: [ReturnsRepository, ReturnViews, ReturnChanges, ReturnsService],
  exports: [ReturnsRepository, ReturnViews, ReturnChanges],
})
export class ApplicationsModule {}
