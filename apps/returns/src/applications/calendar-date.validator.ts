import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { AMOUNT_REGEX } from '@app/contracts';
import { isDateWithinLimits } from '@app/kernel';

/** A real calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31 (2026-02-30 fails), reported with rule `isCalendarDate`. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
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

/** Decimal amount with exactly two places, at most 9,999,999,999.99, e.g. "60.00" (R-MNY-1 inputs, DOMAIN §9). */
export const TWO_PLACE_AMOUNT = AMOUNT_REGEX;
