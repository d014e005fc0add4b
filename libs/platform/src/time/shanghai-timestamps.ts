import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, Observable } from 'rxjs';
import { shanghaiDateTime } from '@app/kernel';

export const UTC_TIMESTAMPS_KEY = 'platform:utcTimestamps';

/**
 * Keeps a route's timestamps in UTC: for answers that machines read back as they were written
 * (the event feed serves stored envelopes other services verify and apply).
 */
export const UtcTimestamps = () => SetMetadata(UTC_TIMESTAMPS_KEY, true);

/** What Date#toISOString writes: the only form the services answer instants in. */
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Rewrites every UTC instant in a JSON answer as people in China read it, in Asia/Shanghai with
 * its offset (2026-04-10T15:59:59.000Z → 2026-04-10T23:59:59+08:00). Plain objects and arrays
 * are copied, anything else (buffers, streams, dates, class instances) is left as it is.
 */
export function toShanghaiTimestamps(value: unknown): unknown {
  if (typeof value === 'string') return UTC_INSTANT.test(value) ? shanghaiDateTime(new Date(value)) : value;
  if (Array.isArray(value)) return value.map(toShanghaiTimestamps);
  if (value === null || typeof value !== 'object') return value;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toShanghaiTimestamps(item)]));
}

/**
 * The one place API answers turn instants into Asia/Shanghai time (APP_INTERCEPTOR): views keep
 * writing `toISOString()`, the database keeps timestamptz in UTC, and what leaves is +08:00.
 */
@Injectable()
export class ShanghaiTimestampsInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const keepUtc =
      context.getType() !== 'http' ||
      this.reflector.getAllAndOverride<boolean>(UTC_TIMESTAMPS_KEY, [context.getHandler(), context.getClass()]);
    return keepUtc ? next.handle() : next.handle().pipe(map(toShanghaiTimestamps));
  }
}
