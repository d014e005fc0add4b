import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiExtension,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptions,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AMOUNT_REGEX, SIGNED_TOTAL_REGEX, TOTAL_REGEX } from '@app/contracts';
import { RATE_PATTERN } from '@app/kernel';
import { registerTagDescription } from './contract';

export interface OperationDoc {
  /** operationId: a verb and the resource, e.g. listStatements. */
  id: string;
  summary: string;
  /** What it does; the contract appends who may call it (from @Roles) and the rules it applies. */
  description: string;
  /** Rule ids of DOMAIN.md this operation applies, e.g. ['R-SET-8']. */
  rules?: string[];
}

/** Documents one operation: operationId, summary, description and the DOMAIN rule ids it applies. */
export function ApiDoc(doc: OperationDoc): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId: doc.id, summary: doc.summary, description: doc.description }),
    ...(doc.rules?.length ? [ApiExtension('x-rules', doc.rules)] : []),
  );
}

/** The controller's tag, with the description the document's tag list shows for it. */
export function ApiTag(name: string, description: string): ClassDecorator {
  registerTagDescription(name, description);
  return ApiTags(name);
}

/** A 200 answer that is one page of `item`s with the cursor of the next page. */
export function ApiPageResponse(item: Type<unknown>, description: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: {
            type: 'string',
            nullable: true,
            description: 'Cursor of the next page (pass it as `cursor`); null on the last page',
          },
        },
      },
    }),
  );
}

type MoneyOptions = Omit<ApiPropertyOptions, 'type' | 'pattern'>;

/** An amount of one fact: decimal string, two places (DOMAIN §9, R-MNY-1). */
export const ApiAmount = (options: MoneyOptions = {}) =>
  ApiProperty({ example: '1280.00', ...options, type: 'string', pattern: AMOUNT_REGEX.source } as ApiPropertyOptions);

/** A sum of facts (never negative): decimal string, two places. */
export const ApiTotal = (options: MoneyOptions = {}) =>
  ApiProperty({ example: '15360.00', ...options, type: 'string', pattern: TOTAL_REGEX.source } as ApiPropertyOptions);

/** A signed sum (a balance, a closing, an adjustment): decimal string, two places. */
export const ApiSignedTotal = (options: MoneyOptions = {}) =>
  ApiProperty({
    example: '-412.50',
    ...options,
    type: 'string',
    pattern: SIGNED_TOTAL_REGEX.source,
  } as ApiPropertyOptions);

/** A rate or percent: decimal string with up to four places (numeric(9,4)). */
export const ApiRate = (options: MoneyOptions = {}) =>
  ApiProperty({ example: '15.0000', ...options, type: 'string', pattern: RATE_PATTERN.source } as ApiPropertyOptions);

/** A count (cards, lines, dealers): an integer. */
export const ApiCount = (options: Omit<ApiPropertyOptions, 'type'> = {}) =>
  ApiProperty({ minimum: 0, example: 12, ...options, type: 'integer' } as ApiPropertyOptions);
