import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ConfigurationError } from './configuration-error';
import {
  DATABASE_POOL_DEFAULTS,
  DEFAULT_CORS_ALLOWED_ORIGINS,
  DEFAULT_PORTS,
  IDEMPOTENCY_RETENTION_HOURS_DEFAULT,
  AUDIT_CHAIN_HEAD_MS_DEFAULT,
  KAFKA_FETCH_MAX_WAIT_MS_DEFAULT,
  LogLevel,
  SETTLEMENT_DEFAULTS,
  SettlementSettings,
  SERVICE_NAMES,
  ServiceConfig,
  ServiceName,
} from './service-config';
import { ServiceEnv } from './service-env';

const KNOWN = [
  'PORT',
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'DATABASE_CONNECT_TIMEOUT_MS',
  'DATABASE_STATEMENT_TIMEOUT_MS',
  'IDEMPOTENCY_RETENTION_HOURS',
  'KAFKA_BROKERS',
  'KAFKA_IDEMPOTENT_PRODUCER',
  'KAFKA_FETCH_MAX_WAIT_MS',
  'AUTH_JWT_SECRET',
  'AUTH_JWKS_URL',
  'AUTH_JWT_ISSUER',
  'AUTH_JWT_AUDIENCE',
  'LOG_LEVEL',
  'DOCS_PEER_URLS',
  'CORS_ALLOWED_ORIGINS',
  'EVENT_FEED_URLS',
  'EVENT_FEED_TOKEN',
  'OUTBOX_RETENTION_DAYS',
  'EVENT_GAP_CHECK_MS',
  'AUDIT_CHAIN_HEAD_MS',
  'SETTLEMENT_RUN_BATCH_SIZE',
  'SETTLEMENT_RUN_CONCURRENCY',
  'SETTLEMENT_RUN_PROFILE',
  'SETTLEMENT_TALLY_CHECK_MS',
  'MANUFACTURER_NAME',
  'MANUFACTURER_ADDRESS',
] as const;

function pickKnown(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = env[key];
    // An empty variable counts as unset, as in most shells' `VAR=` usage.
    if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}

/**
 * Validates a service's environment once at start and returns the typed config.
 * Pure: reads only `env` (pass `process.env` from main.ts, a literal object from tests).
 * @throws ConfigurationError listing every missing or invalid variable.
 */
export function loadServiceConfig(serviceName: ServiceName, env: Record<string, string | undefined>): ServiceConfig {
  if (!(SERVICE_NAMES as readonly string[]).includes(serviceName)) {
    throw new ConfigurationError(String(serviceName), [
      { variable: 'serviceName', reason: `must be one of ${SERVICE_NAMES.join(', ')}` },
    ]);
  }
  const raw = pickKnown(env);
  const parsed = plainToInstance(ServiceEnv, raw);
  const errors: ValidationError[] = validateSync(parsed, { forbidUnknownValues: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((reason) => ({ variable: e.property, reason })),
  );
  if (raw.AUTH_JWT_SECRET !== undefined && raw.AUTH_JWKS_URL !== undefined) {
    problems.push({
      variable: 'AUTH_JWKS_URL',
      reason: 'must not be set together with AUTH_JWT_SECRET (exactly one of the two)',
    });
  }
  if (problems.length > 0) throw new ConfigurationError(serviceName, problems);

  return {
    serviceName,
    port: parsed.PORT ?? DEFAULT_PORTS[serviceName],
    databaseUrl: raw.DATABASE_URL,
    databasePool: {
      size: parsed.DATABASE_POOL_SIZE ?? DATABASE_POOL_DEFAULTS.size,
      connectTimeoutMs: parsed.DATABASE_CONNECT_TIMEOUT_MS ?? DATABASE_POOL_DEFAULTS.connectTimeoutMs,
      statementTimeoutMs: parsed.DATABASE_STATEMENT_TIMEOUT_MS ?? DATABASE_POOL_DEFAULTS.statementTimeoutMs,
    },
    idempotencyRetentionHours: parsed.IDEMPOTENCY_RETENTION_HOURS ?? IDEMPOTENCY_RETENTION_HOURS_DEFAULT,
    kafka: {
      brokers: raw.KAFKA_BROKERS.split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      idempotentProducer: (raw.KAFKA_IDEMPOTENT_PRODUCER ?? 'false').toLowerCase() === 'true',
      fetchMaxWaitMs: parsed.KAFKA_FETCH_MAX_WAIT_MS ?? KAFKA_FETCH_MAX_WAIT_MS_DEFAULT,
    },
    auth: {
      ...(raw.AUTH_JWT_SECRET !== undefined ? { jwtSecret: raw.AUTH_JWT_SECRET } : {}),
      ...(raw.AUTH_JWKS_URL !== undefined ? { jwksUrl: raw.AUTH_JWKS_URL } : {}),
      ...(raw.AUTH_JWT_ISSUER !== undefined ? { issuer: raw.AUTH_JWT_ISSUER } : {}),
      ...(raw.AUTH_JWT_AUDIENCE !== undefined ? { audience: raw.AUTH_JWT_AUDIENCE } : {}),
    },
    logLevel: (raw.LOG_LEVEL ?? 'info') as LogLevel,
    docsPeers: parsePeers(raw.DOCS_PEER_URLS),
    corsAllowedOrigins: parseOrigins(raw.CORS_ALLOWED_ORIGINS),
    eventFeed: {
      sources: Object.fromEntries(parsePeers(raw.EVENT_FEED_URLS).map((p) => [p.name, p.url])),
      ...(raw.EVENT_FEED_TOKEN !== undefined ? { token: raw.EVENT_FEED_TOKEN } : {}),
      gapCheckMs: parsed.EVENT_GAP_CHECK_MS ?? 30_000,
    },
    outboxRetentionDays: parsed.OUTBOX_RETENTION_DAYS ?? 7,
    auditChainHeadMs: parsed.AUDIT_CHAIN_HEAD_MS ?? AUDIT_CHAIN_HEAD_MS_DEFAULT,
    ...(serviceName === 'settlement' ? { settlement: settlementSettings(parsed) } : {}),
  };
}

function settlementSettings(parsed: ServiceEnv): SettlementSettings {
  return {
    runBatchSize: parsed.SETTLEMENT_RUN_BATCH_SIZE ?? SETTLEMENT_DEFAULTS.runBatchSize,
    runConcurrency: parsed.SETTLEMENT_RUN_CONCURRENCY ?? SETTLEMENT_DEFAULTS.runConcurrency,
    runProfile: parsed.SETTLEMENT_RUN_PROFILE === '1',
    tallyCheckMs: parsed.SETTLEMENT_TALLY_CHECK_MS ?? SETTLEMENT_DEFAULTS.tallyCheckMs,
    manufacturer: {
      name: parsed.MANUFACTURER_NAME ?? SETTLEMENT_DEFAULTS.manufacturer.name,
      address: parsed.MANUFACTURER_ADDRESS ?? SETTLEMENT_DEFAULTS.manufacturer.address,
    },
  };
}

/** Unset: the local stack's settlement /docs; `none`: no origin. */
function parseOrigins(value: string | undefined): string[] {
  if (value === undefined) return [...DEFAULT_CORS_ALLOWED_ORIGINS];
  if (value === 'none') return [];
  // Browsers send the origin in lower case.
  return [...new Set(value.split(',').map((origin) => origin.trim().toLowerCase()))];
}

function parsePeers(value: string | undefined): { name: string; url: string }[] {
  if (!value) return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return { name: part.slice(0, eq).trim(), url: part.slice(eq + 1).trim() };
    });
}
