import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ProblemException } from '../problem/problem.exception';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;

/** `limit` and an opaque `cursor`; list queries extend this with their filters. */
export class PageQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    description: 'Items per page',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (nextCursor)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The cursor is the sort key of the last item returned, base64url-encoded so clients treat it as opaque. */
export function encodePageCursor(lastKey: string): string {
  return Buffer.from(`k:${lastKey}`, 'utf8').toString('base64url');
}

/**
 * The sort key a cursor carries. `keyPattern` is the shape of this list's keys, so a forged cursor
 * is a 400 rather than a value the database refuses to compare; a key with a control character
 * is never one this service wrote.
 */
export function decodePageCursor(cursor: string | undefined, keyPattern?: RegExp): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = text.slice(2);
  // eslint-disable-next-line no-control-regex -- a cursor key never holds control characters
  if (!text.startsWith('k:') || /[\u0000-\u001f\u007f]/.test(key) || (keyPattern && !keyPattern.test(key)))
    throw invalidCursorProblem();
  return key;
}

export const invalidCursorProblem = () =>
  new ProblemException({
    status: 400,
    type: 'invalid-cursor',
    detail: 'The cursor is not valid.',
    errors: [{ field: 'cursor', rule: 'cursor', message: 'not a cursor returned by this list' }],
  });

/** Keys that are a bigint sequence: at most 18 digits, so any of them fits the column. */
export const SEQUENCE_KEY = /^\d{1,18}$/;

/** Builds a page from `limit + 1` rows fetched in key order. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodePageCursor(keyOf(items[items.length - 1])) : null };
}
