import { Global, Injectable, Module } from '@nestjs/common';
import { shanghaiDate } from '@app/kernel';

/** The time source of a service: tests replace `now` to drive dates (approvals, closings, sweeps). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Today's calendar date in Asia/Shanghai. */
  today(): string {
    return shanghaiDate(this.now());
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
