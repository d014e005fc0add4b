import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { isCalendarDate } from '@app/kernel';

/** A real calendar date YYYY-MM-DD (2026-02-30 is refused), reported under rule `calendarDate`. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'calendarDate',
    validator: {
      validate: (value: unknown) => isCalendarDate(value),
      defaultMessage: buildMessage((each) => `${each}$property must be a calendar date YYYY-MM-DD`, options),
    },
  }, options);
}
