import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClsModule, ClsService } from 'nestjs-cls';
import { CLS_CORRELATION_ID, CLS_REQUEST_ID, CORRELATION_ID_HEADER, REQUEST_ID_HEADER } from './context.constants';

const MAX_ID_LENGTH = 128;
const SAFE_ID = /^[A-Za-z0-9._:@-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= MAX_ID_LENGTH && SAFE_ID.test(trimmed) ? trimmed : undefined;
}

/** Correlation id from x-correlation-id, else x-request-id, else a fresh uuid. Exported for tests. */
export function resolveCorrelationId(req: IncomingMessage): string {
  return headerValue(req, CORRELATION_ID_HEADER) ?? headerValue(req, REQUEST_ID_HEADER) ?? randomUUID();
}

/**
 * Global nestjs-cls module, mounted as middleware (runs for every route under Fastify, before guards),
 * so guards, interceptors, filters and the pino mixin all see the same context.
 */
export function createContextModule() {
  return ClsModule.forRoot({
    global: true,
    middleware: {
      mount: true,
      generateId: true,
      // Fastify's request id (a uuid when the app uses createFastifyAdapter()) so logs, CLS and audit agree.
      idGenerator: (req: IncomingMessage & { id?: unknown }) =>
        typeof req.id === 'string' && UUID.test(req.id) ? req.id : randomUUID(),
      setup: (cls: ClsService, req: IncomingMessage, res: ServerResponse) => {
        const correlationId = resolveCorrelationId(req);
        cls.set(CLS_CORRELATION_ID, correlationId);
        cls.set(CLS_REQUEST_ID, cls.getId());
        if (!res.headersSent) res.setHeader(CORRELATION_ID_HEADER, correlationId);
      },
    },
  });
}
