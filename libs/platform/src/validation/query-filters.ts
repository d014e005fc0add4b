import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DEALER_CODE_REGEX, MONTH_REGEX, stackDecorators } from '@app/contracts';

/** Trims a string input; anything else is left for the validators to refuse. */
export const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Codes and serials are compared in upper case, whatever case the client sent. */
export const upperCased = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

/** The optional `dealer` filter of a list query: a dealer code. */
export const DealerFilter = (api: ApiPropertyOptions = {}) =>
  stackDecorators(
    ApiPropertyOptional(api),
    IsOptional(),
    Matches(DEALER_CODE_REGEX, { message: 'dealer must be a dealer code' }),
  );

/** The optional `month` filter of a list query: YYYY-MM from 2000-01 to 2099-12. */
export const MonthFilter = (api: ApiPropertyOptions = {}) =>
  stackDecorators(
    ApiPropertyOptional(api),
    IsOptional(),
    Matches(MONTH_REGEX, { message: 'month must be YYYY-MM from 2000-01 to 2099-12' }),
  );
