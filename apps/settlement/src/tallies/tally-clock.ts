import { Injectable } from '@nestjs/common';

/** The time source of the monthly tally; tests replace `now` to step past a report due time. */
@Injectable()
export class TallyClock {
  now(): Date {
    return new Date();
  }
}
