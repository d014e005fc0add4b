import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import {
  DEALER_CODE_REGEX,
  IDENTIFIER_TEXT,
  MODEL_CODE_REGEX,
  MONTH_REGEX,
  SERIAL_REGEX,
  stackDecorators,
} from '@app/contracts';

/** Trims a string input; anything else is left for the validators to refuse. */
export const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Codes and serials are compared in upper case, whatever case the client sent. */
export const upperCased = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

/** The optional `dealer` filter of a list query: a dealer code. */
export const DealerFilter = (api: ApiPropertyOptions = {}) =>
  stackDecorators(
    ApiPropertyOptional({
      description: 'Only this dealer (dealer code)',
      example: 'D001',
      pattern: DEALER_CODE_REGEX.source,
      ...api,
    } as ApiPropertyOptions),
    IsOptional(),
    Matches(DEALER_CODE_REGEX, { message: 'dealer must be a dealer code' }),
  );

/** The optional `month` filter of a list query: YYYY-MM from 2000-01 to 2099-12. */
export const MonthFilter = (api: ApiPropertyOptions = {}) =>
  stackDecorators(
    ApiPropertyOptional({
      description: 'Only this month (YYYY-MM)',
      example: '2026-03',
      pattern: MONTH_REGEX.source,
      ...api,
    } as ApiPropertyOptions),
    IsOptional(),
    Matches(MONTH_REGEX, { message: 'month must be YYYY-MM from 2000-01 to 2099-12' }),
  );

/** A serial (frame / machine number), trimmed and upper-cased before it is checked. */
export const IsSerialInput = () =>
  stackDecorators(
    Transform(upperCased),
    IsString(),
    Matches(SERIAL_REGEX, { message: `$property must be ${IDENTIFIER_TEXT.serial}` }),
  );

/** A product model code, trimmed and upper-cased before it is checked. */
export const IsModelCodeInput = () =>
  stackDecorators(
    Transform(upperCased),
    IsString(),
    Matches(MODEL_CODE_REGEX, { message: `$property must be ${IDENTIFIER_TEXT.modelCode}` }),
  );
