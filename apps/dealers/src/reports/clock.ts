import { Injectable } from '@nestjs/common';

/**
 * The service's notion of "now". Injected wherever a rule depends on the time (report
 * timeliness, the current Shanghai month), so tests can move it: `jest.spyOn(clock, 'now')`.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
