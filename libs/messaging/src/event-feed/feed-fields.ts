import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The most messages one feed page or one replay call carries. */
export const FEED_PAGE_MAX = 500;

/** Query strings arrive as text and are converted; a JSON body must already send a number. */
const numberFrom = (source: 'query' | 'body') => (source === 'query' ? [Type(() => Number)] : []);

/** A position in a producer's numbered feed (1 … 2^53 − 1). */
export const SequenceNumber = (o: { description: string; required: boolean; source: 'query' | 'body' }) =>
  applyDecorators(
    o.required
      ? ApiProperty({ type: 'integer', minimum: 1, description: o.description, example: 1 })
      : ApiPropertyOptional({ type: 'integer', minimum: 1, description: o.description }),
    ...(o.required ? [] : [IsOptional()]),
    ...numberFrom(o.source),
    IsInt(),
    Min(1),
    Max(Number.MAX_SAFE_INTEGER),
  );

/** How many messages one call carries, 1 … FEED_PAGE_MAX. */
export const FeedLimit = (o: { description: string; default: number; source: 'query' | 'body' }) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: FEED_PAGE_MAX,
      default: o.default,
      description: o.description,
    }),
    IsOptional(),
    ...numberFrom(o.source),
    IsInt(),
    Min(1),
    Max(FEED_PAGE_MAX),
  );
