import { ConfigurationError } from './configuration-error';
import { loadServiceConfig } from './load-service-config';
import { SETTLEMENT_DEFAULTS } from './service-config';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dealers',
  KAFKA_BROKERS: 'localhost:9092, localhost:9093',
  AUTH_JWT_SECRET: 'local-development-secret-please-change',
};

function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigurationError) return e;
    throw e;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadServiceConfig', () => {
  it('builds a typed config with service defaults', () => {
    const config = loadServiceConfig('returns', base);
    expect(config).toEqual({
      serviceName: 'returns',
      port: 3003,
      databaseUrl: base.DATABASE_URL,
      databasePool: { size: 10, connectTimeoutMs: 5000, statementTimeoutMs: 60_000 },
      idempotencyRetentionHours: 168,
      kafka: { brokers: ['localhost:9092', 'localhost:9093'], idempotentProducer: false, fetchMaxWaitMs: 250 },
      auth: { jwtSecret: base.AUTH_JWT_SECRET },
      logLevel: 'info',
      docsPeers: [],
      corsAllowedOrigins: ['http://localhost:3004', 'http://127.0.0.1:3004'],
      eventFeed: { sources: {}, gapCheckMs: 30_000 },
      outboxRetentionDays: 7,
      auditChainHeadMs: 600_000,
    });
  });

  it.each([
    ['dealers', 3001],
    ['requisitions', 3002],
    ['settlement', 3004],
  ] as const)('defaults the port of %s to %d', (service, port) => {
    expect(loadServiceConfig(service, base).port).toBe(port);
  });

  it('reads optional variables', () => {
    const config = loadServiceConfig('settlement', {
      ...base,
      AUTH_JWT_SECRET: undefined,
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      AUTH_JWT_ISSUER: 'https://idp.example/',
      AUTH_JWT_AUDIENCE: 'after-sales',
      PORT: '8080',
      KAFKA_IDEMPOTENT_PRODUCER: 'true',
      KAFKA_FETCH_MAX_WAIT_MS: '1000',
      LOG_LEVEL: 'debug',
      DOCS_PEER_URLS: 'dealers=http://localhost:3001/docs-json, returns=http://localhost:3003/docs-json',
      EVENT_FEED_URLS: 'dealers=http://dealers:3001, returns=https://returns.internal',
      EVENT_FEED_TOKEN: 'a-token-issued-for-settlement-by-the-idp',
      OUTBOX_RETENTION_DAYS: '30',
      EVENT_GAP_CHECK_MS: '5000',
      DATABASE_POOL_SIZE: '25',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_STATEMENT_TIMEOUT_MS: '120000',
      IDEMPOTENCY_RETENTION_HOURS: '48',
    });
    expect(config.eventFeed).toEqual({
      sources: { dealers: 'http://dealers:3001', returns: 'https://returns.internal' },
      token: 'a-token-issued-for-settlement-by-the-idp',
      gapCheckMs: 5000,
    });
    expect(config.outboxRetentionDays).toBe(30);
    expect(config.port).toBe(8080);
    expect(config.databasePool).toEqual({ size: 25, connectTimeoutMs: 2000, statementTimeoutMs: 120_000 });
    expect(config.idempotencyRetentionHours).toBe(48);
    expect(config.kafka.idempotentProducer).toBe(true);
    expect(config.kafka.fetchMaxWaitMs).toBe(1000);
    expect(config.logLevel).toBe('debug');
    expect(config.auth).toEqual({
      jwksUrl: 'https://idp.example/.well-known/jwks.json',
      issuer: 'https://idp.example/',
      audience: 'after-sales',
    });
    expect(config.docsPeers).toEqual([
      { name: 'dealers', url: 'http://localhost:3001/docs-json' },
      { name: 'returns', url: 'http://localhost:3003/docs-json' },
    ]);
  });

  it('lists every missing variable at once', () => {
    const error = errorOf(() => loadServiceConfig('dealers', {}));
    const variables = error.problems.map((p) => p.variable);
    expect(variables).toEqual(expect.arrayContaining(['DATABASE_URL', 'KAFKA_BROKERS', 'AUTH_JWT_SECRET']));
    expect(error.message).toMatch(/DATABASE_URL: is required/);
    expect(error.message).toMatch(/KAFKA_BROKERS: is required/);
    expect(error.message).toMatch(/AUTH_JWT_SECRET: is required unless AUTH_JWKS_URL is set/);
  });

  it('explains invalid values', () => {
    const error = errorOf(() =>
      loadServiceConfig('dealers', {
        DATABASE_URL: 'mysql://x',
        KAFKA_BROKERS: 'localhost',
        AUTH_JWT_SECRET: 'short',
        PORT: 'abc',
        KAFKA_IDEMPOTENT_PRODUCER: 'yes',
        KAFKA_FETCH_MAX_WAIT_MS: '5',
        LOG_LEVEL: 'loud',
        DOCS_PEER_URLS: 'nonsense',
        EVENT_FEED_URLS: 'dealers=ftp://x',
        OUTBOX_RETENTION_DAYS: '0',
        DATABASE_POOL_SIZE: '0',
        DATABASE_CONNECT_TIMEOUT_MS: 'soon',
        DATABASE_STATEMENT_TIMEOUT_MS: '50',
        IDEMPOTENCY_RETENTION_HOURS: '1.5',
      }),
    );
    expect(error.message).toMatch(/EVENT_FEED_URLS: must be a comma-separated list of service=http/);
    expect(error.message).toMatch(/OUTBOX_RETENTION_DAYS: must be between 1 and 3650/);
    expect(error.message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(error.message).toMatch(/KAFKA_BROKERS: must be a comma-separated list of host:port/);
    expect(error.message).toMatch(/AUTH_JWT_SECRET: must be at least 32 characters/);
    expect(error.message).toMatch(/PORT: must be an integer/);
    expect(error.message).toMatch(/KAFKA_IDEMPOTENT_PRODUCER: must be true or false/);
    expect(error.message).toMatch(/KAFKA_FETCH_MAX_WAIT_MS: must be between 10 and 10000/);
    expect(error.message).toMatch(/LOG_LEVEL: must be one of/);
    expect(error.message).toMatch(/DOCS_PEER_URLS: must be a comma-separated list of name=url/);
    expect(error.message).toMatch(/DATABASE_POOL_SIZE: must be between 1 and 500/);
    expect(error.message).toMatch(/DATABASE_CONNECT_TIMEOUT_MS: must be an integer/);
    expect(error.message).toMatch(/DATABASE_STATEMENT_TIMEOUT_MS: must be between 100 and 3600000/);
    expect(error.message).toMatch(/IDEMPOTENCY_RETENTION_HOURS: must be an integer/);
  });

  it('refuses both auth modes together', () => {
    const error = errorOf(() => loadServiceConfig('dealers', { ...base, AUTH_JWKS_URL: 'https://idp.example/jwks' }));
    expect(error.problems).toEqual([expect.objectContaining({ variable: 'AUTH_JWKS_URL' })]);
  });

  it('reads the settlement settings, with their defaults, for settlement only', () => {
    expect(loadServiceConfig('settlement', base).settlement).toEqual({
      runBatchSize: 1000,
      runConcurrency: 2,
      runProfile: false,
      tallyCheckMs: 600_000,
      manufacturer: SETTLEMENT_DEFAULTS.manufacturer,
    });
    expect(
      loadServiceConfig('settlement', {
        ...base,
        SETTLEMENT_RUN_BATCH_SIZE: '250',
        SETTLEMENT_RUN_CONCURRENCY: '4',
        SETTLEMENT_RUN_PROFILE: '1',
        SETTLEMENT_TALLY_CHECK_MS: '0',
        MANUFACTURER_NAME: '永安电动车有限公司 Yong An E-Bikes Ltd.',
        MANUFACTURER_ADDRESS: '上海市 Shanghai',
      }).settlement,
    ).toEqual({
      runBatchSize: 250,
      runConcurrency: 4,
      runProfile: true,
      tallyCheckMs: 0,
      manufacturer: { name: '永安电动车有限公司 Yong An E-Bikes Ltd.', address: '上海市 Shanghai' },
    });
    expect(loadServiceConfig('dealers', base).settlement).toBeUndefined();
    const error = errorOf(() => loadServiceConfig('settlement', { ...base, SETTLEMENT_RUN_BATCH_SIZE: '0' }));
    expect(error.message).toMatch(/SETTLEMENT_RUN_BATCH_SIZE: must be between 1 and 100000/);
    expect(
      errorOf(() => loadServiceConfig('settlement', { ...base, MANUFACTURER_NAME: 'x'.repeat(201) })).message,
    ).toMatch(/MANUFACTURER_NAME: must be at most 200 characters/);
  });

  it('reads the CORS allow-list: origins in lower case, none, or the local settlement /docs by default', () => {
    const origins = (value?: string) =>
      loadServiceConfig('dealers', { ...base, CORS_ALLOWED_ORIGINS: value }).corsAllowedOrigins;
    expect(origins('https://Docs.Example.com, http://127.0.0.1:8080,https://docs.example.com')).toEqual([
      'https://docs.example.com',
      'http://127.0.0.1:8080',
    ]);
    expect(origins('none')).toEqual([]);
    expect(origins(undefined)).toEqual(['http://localhost:3004', 'http://127.0.0.1:3004']);
    expect(origins('')).toEqual(['http://localhost:3004', 'http://127.0.0.1:3004']);
  });

  it.each(['*', 'https://docs.example.com/', 'https://docs.example.com/docs', 'docs.example.com', 'ftp://x', 'none,x'])(
    'refuses %j in CORS_ALLOWED_ORIGINS',
    (value) => {
      const error = errorOf(() => loadServiceConfig('dealers', { ...base, CORS_ALLOWED_ORIGINS: value }));
      expect(error.problems).toEqual([
        { variable: 'CORS_ALLOWED_ORIGINS', reason: expect.stringMatching(/comma-separated list of origins/) },
      ]);
    },
  );

  it('treats empty strings as unset', () => {
    expect(loadServiceConfig('dealers', { ...base, PORT: '', LOG_LEVEL: '' }).port).toBe(3001);
  });
});
