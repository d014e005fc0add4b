import { Module } from '@nestjs/common';
import { MonthClosingService } from './month-closing.service';

/** Consumes QuarterApproved and answers "is this month closed?" for the other features. */
@Module({ providers: [MonthClosingService], exports: [MonthClosingService] })
export class MonthClosingModule {}
