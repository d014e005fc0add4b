import { Module } from '@nestjs/common';
import { BatchDefectsController } from './batch-defects.controller';
import { BatchDefectsRepository } from './batch-defects.repository';
import { BatchDefectsService } from './batch-defects.service';

/** Batch defects after-sales declares (R-RET-2 BATCH_DEFECT); classification reads them through the repository. */
@Module({
  controllers: [BatchDefectsController],
  providers: [BatchDefectsRepository, BatchDefectsService],
  exports: [BatchDefectsRepository],
})
export class BatchDefectsModule {}
