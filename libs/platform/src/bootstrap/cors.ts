import type { INestApplication } from '@nestjs/common';
import type { ServiceConfig } from '../config/service-config';
import { CORRELATION_ID_HEADER, REQUEST_ID_HEADER } from '../context/context.constants';

/** Request headers a browser page may send (Swagger UI sends Authorization, Content-Type and the rest). */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'Accept-Language',
  'Idempotency-Key',
  CORRELATION_ID_HEADER,
  REQUEST_ID_HEADER,
] as const;

/** Response headers a page may read: file names of exports, replays, retry hints, correlation. */
export const CORS_EXPOSED_HEADERS = [
  'Content-Disposition',
  'Idempotent-Replayed',
  'Retry-After',
  'Location',
  CORRELATION_ID_HEADER,
] as const;

/**
 * Lets the pages of the allowed origins (settlement's Swagger UI above all) call this API from a
 * browser through @fastify/cors, which answers preflights before authentication. A request from
 * any other origin gets no CORS header at all, and its preflight the 404 of an unknown route.
 * Bearer tokens, no cookies: credentials stay off.
 */
export function enableCors(app: INestApplication, config: Pick<ServiceConfig, 'corsAllowedOrigins'>): void {
  const allowed = new Set(config.corsAllowedOrigins);
  app.enableCors({
    origin: (origin: string | undefined, callback: (error: Error | null, allow: string | false) => void) =>
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    credentials: false,
    maxAge: 600,
  });
}
