import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { buildMessage, IsOptional, ValidateBy, ValidationOptions } from 'class-validator';
import { isDateWithinLimits, isTimestampWithinLimits } from '@app/kernel';

/** class-validator rules for the limits of the domain (DOMAIN §9); each reports its own rule name. */
function limitRule(
  name: string,
  test: (value: unknown) => boolean,
  text: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => test(value),
        defaultMessage: buildMessage((each) => `${each}$property ${text}`, options),
      },
    },
    options,
  );
}

/** A real calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31 (2026-02-30 is refused), rule `calendarDate`. */
export const IsCalendarDate = (options?: ValidationOptions) =>
  limitRule(
    'calendarDate',
    isDateWithinLimits,
    'must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31',
    options,
  );

export const IsTimestampWithinLimits = (options?: ValidationOptions) =>
  limitRule(
    'timestamp',
    isTimestampWithinLimits,
    'must be an ISO 8601 date or date-time on a real date from 2000-01-01 to 2099-12-31',
    options,
  );

/** An optional calendar date (a filter such as `on`), documented with what it dates. */
export const OptionalCalendarDate = (description: string) =>
  applyDecorators(ApiPropertyOptional({ example: '2026-02-01', description }), IsOptional(), IsCalendarDate());
