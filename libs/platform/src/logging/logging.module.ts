import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ClsServiceManager } from 'nestjs-cls';
import { LoggerModule, Params } from 'nestjs-pino';
import type { ServiceConfig } from '../config/service-config';
import { CLS_CAUSATION_ID, CLS_CORRELATION_ID, CLS_REQUEST_ID } from '../context/context.constants';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'authorization',
];

/** Reads the current CLS context (HTTP request or Kafka message) for every log line. */
export function contextMixin(): Record<string, unknown> {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return {};
  const out: Record<string, unknown> = {};
  const correlationId = cls.get<string>(CLS_CORRELATION_ID);
  const causationId = cls.get<string>(CLS_CAUSATION_ID);
  if (correlationId) out.correlationId = correlationId;
  if (causationId) out.causationId = causationId;
  return out;
}

export function buildLoggerParams(config: ServiceConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { service: config.serviceName, pid: process.pid },
      messageKey: 'msg',
      mixin: contextMixin,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (_req: IncomingMessage) => {
        const cls = ClsServiceManager.getClsService();
        return (cls.isActive() && cls.get<string>(CLS_REQUEST_ID)) || randomUUID();
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/metrics' || req.url === '/health' },
      // 503: the service could not serve the request now (e.g. database unavailable), not a defect.
      customLogLevel: (_req, res, err) =>
        err || (res.statusCode >= 500 && res.statusCode !== 503) ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}

export function createLoggingModule(config: ServiceConfig) {
  return LoggerModule.forRoot(buildLoggerParams(config));
}
