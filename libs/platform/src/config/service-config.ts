export const SERVICE_NAMES = ['dealers', 'requisitions', 'returns', 'settlement'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  dealers: 3001,
  requisitions: 3002,
  returns: 3003,
  settlement: 3004,
};

/**
 * Origins whose pages may call the APIs from a browser when CORS_ALLOWED_ORIGINS is unset: settlement's
 * Swagger UI at its default port, the one entry point to all four APIs on the local stack.
 */
export const DEFAULT_CORS_ALLOWED_ORIGINS: readonly string[] = [
  `http://localhost:${DEFAULT_PORTS.settlement}`,
  `http://127.0.0.1:${DEFAULT_PORTS.settlement}`,
];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DATABASE_POOL_DEFAULTS = { size: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 60_000 } as const;
export const IDEMPOTENCY_RETENTION_HOURS_DEFAULT = 7 * 24;
export const AUDIT_CHAIN_HEAD_MS_DEFAULT = 10 * 60_000;
export const KAFKA_FETCH_MAX_WAIT_MS_DEFAULT = 250;

/** Defaults of the settlement service's own settings. */
export const SETTLEMENT_DEFAULTS: SettlementSettings = {
  runBatchSize: 1000,
  runConcurrency: 2,
  runProfile: false,
  tallyCheckMs: 10 * 60_000,
  manufacturer: {
    name: '示例电动车制造有限公司 Example E-Bike Manufacturing Co., Ltd.',
    address: '上海市浦东新区示例路 1 号 1 Example Road, Pudong, Shanghai',
  },
};

/** Settings only the settlement service reads. */
export interface SettlementSettings {
  /** Dealers loaded and computed per batch of a quarterly run (SETTLEMENT_RUN_BATCH_SIZE). */
  runBatchSize: number;
  /** Batches of a run in flight at once (SETTLEMENT_RUN_CONCURRENCY). */
  runConcurrency: number;
  /** Log how long each phase of a run takes (SETTLEMENT_RUN_PROFILE=1). */
  runProfile: boolean;
  /** How often the scheduled tally check runs (SETTLEMENT_TALLY_CHECK_MS); 0: never. */
  tallyCheckMs: number;
  /** The manufacturer (甲方) printed on statements (MANUFACTURER_NAME, MANUFACTURER_ADDRESS). */
  manufacturer: { name: string; address: string };
}

/** Typed, validated configuration of one service. Build it with loadServiceConfig(). */
export interface ServiceConfig {
  serviceName: ServiceName;
  port: number;
  databaseUrl: string;
  /** Connection pool limits: exhaustion and a stuck statement become errors instead of hangs. */
  databasePool: { size: number; connectTimeoutMs: number; statementTimeoutMs: number };
  /** How long a POST's stored answer is replayed for its Idempotency-Key. */
  idempotencyRetentionHours: number;
  /**
   * fetchMaxWaitMs: how long the broker may hold a consumer's fetch that finds nothing new
   * (KAFKA_FETCH_MAX_WAIT_MS). Real Kafka answers as soon as a message arrives, so a long wait
   * costs no latency there; the local mock broker answers only when the wait ends, so there it
   * trades event latency against idle wake-ups.
   */
  kafka: { brokers: string[]; idempotentProducer: boolean; fetchMaxWaitMs: number };
  auth: { jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  logLevel: LogLevel;
  docsPeers: { name: string; url: string }[];
  /** Browser origins allowed to call the API (CORS_ALLOWED_ORIGINS); empty: no cross-origin calls. */
  corsAllowedOrigins: string[];
  /** Consumers fill what the broker lost from these producers' event feeds. */
  eventFeed: {
    /** Base URL by producing service. */
    sources: Record<string, string>;
    /** Bearer token for the feeds; without it the service signs its own with AUTH_JWT_SECRET. */
    token?: string;
    /** How often an idle partition is compared with its producer's head. */
    gapCheckMs: number;
  };
  /** How long published events stay in the outbox for consumers to fill gaps from. */
  outboxRetentionDays: number;
  /** How often the days whose audit-chain head is not yet published are looked for (AUDIT_CHAIN_HEAD_MS); 0: never. */
  auditChainHeadMs: number;
  /** Present for the settlement service only. */
  settlement?: SettlementSettings;
}

/** DI token under which PlatformModule provides the ServiceConfig object. */
export const SERVICE_CONFIG = 'PLATFORM_SERVICE_CONFIG';
