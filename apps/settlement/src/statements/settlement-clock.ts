import { Injectable } from '@nestjs/common';

/** The time source of the statement lifecycle; tests replace `now` to step past a dispute window (R-DSP-1). */
@Injectable()
export class SettlementClock {
  now(): Date {
    return new Date();
  }
}
