import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { isCalendarDate } from '@app/kernel';

/** A real calendar date YYYY-MM-DD (2026-02-30 fails), reported with rule `isCalendarDate`. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => isCalendarDate(value),
      defaultMessage: buildMessage((each) => `${each}$property must be a calendar date YYYY-MM-DD`, options),
    },
  }, options);
}

/** Decimal amount with exactly two places, e.g. "60.00" (R-MNY-1 inputs). */
export const TWO_PLACE_AMOUNT = /^\d{1,12}\.\d{2}$/;
