import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { isTimestampWithinLimits } from '@app/kernel';
import { Clock, fieldError, validationProblem } from '@app/platform';

/** An instant with its offset: date, hours and minutes, optional seconds and fraction, then Z or ±hh:mm. */
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `asOf`: the instant an "as of" read looks back to. An ISO 8601 instant with its offset (rule
 * `instant`), not after now (rule `notInFuture`); absent, the read is of now.
 */
@Injectable()
export class AsOfPipe implements PipeTransform<string | undefined, Date | undefined> {
  constructor(private readonly clock: Clock) {}

  transform(value: string | undefined): Date | undefined {
    if (value === undefined) return undefined;
    if (!INSTANT_WITH_OFFSET.test(value) || !isTimestampWithinLimits(value))
      throw validationProblem([fieldError('asOf', 'instant', 'validation.fields.asOfInstant')]);
    const asOf = new Date(value);
    const now = this.clock.now();
    if (asOf.getTime() > now.getTime())
      throw validationProblem([
        fieldError('asOf', 'notInFuture', 'validation.fields.asOfFuture', { value, now: now.toISOString() }),
      ]);
    return asOf;
  }
}

/** Documents the `asOf` query parameter of an "as of" read. */
export const ApiAsOfQuery = (what: string) =>
  ApiQuery({
    name: 'asOf',
    required: false,
    example: '2026-04-01T08:00:00+08:00',
    description: `${what} as it stood at this instant (ISO 8601 with offset, not in the future); absent: now`,
    schema: { type: 'string', format: 'date-time' },
  });
