import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { isDateWithinLimits } from '@app/kernel';

/** A real calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31 (2026-02-30 is refused), reported under rule `calendarDate`. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'calendarDate',
      validator: {
        validate: (value: unknown) => isDateWithinLimits(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31`,
          options,
        ),
      },
    },
    options,
  );
}
