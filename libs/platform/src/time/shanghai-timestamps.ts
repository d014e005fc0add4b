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

/** Cheap checks first: most strings of an answer are not instants and never reach the pattern. */
const isUtcInstant = (s: string): boolean =>
  s.length >= 20 && s.length <= 24 && s.charCodeAt(s.length - 1) === 90 /* Z */ && UTC_INSTANT.test(s);

/**
 * Rewrites every UTC instant in a JSON answer as people in China read it, in Asia/Shanghai with
 * its offset (2026-04-10T15:59:59.000Z → 2026-04-10T23:59:59+08:00). Plain objects and arrays
 * are copied only where something in them changes (a 5,000-card answer holds no instant in its
 * per-card results), anything else (buffers, streams, dates, class instances) is left as it is.
 * The answer given is never modified.
 */
export function toShanghaiTimestamps(value: unknown): unknown {
  if (typeof value === 'string') return isUtcInstant(value) ? shanghaiDateTime(new Date(value)) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = toShanghaiTimestamps(value[i]);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const rewritten = toShanghaiTimestamps(item);
    if (rewritten !== item) (copy ??= { ...value })[key] = rewritten;
  }
  return copy ?? value;
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
