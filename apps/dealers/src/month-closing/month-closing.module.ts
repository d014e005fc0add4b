import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { ClosedMonthsProjection } from './closed-months.projection';
import { MonthClosingService } from './month-closing.service';

/** Consumes QuarterApproved and answers "is this month closed?" for the other features. */
@Module({
  imports: [RegistryModule],
  providers: [MonthClosingService, ClosedMonthsProjection],
  exports: [MonthClosingService],
})
export class MonthClosingModule {}
