import type { DynamicModule } from '@nestjs/common';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, issueToken, loadServiceConfig, Role, ServiceConfig } from '@app/platform';

export type ServiceName = 'dealers' | 'requisitions' | 'returns' | 'settlement';

/** The HS256 secret every test service and token share. */
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface RunningService {
  name: ServiceName;
  url: string;
  app: NestFastifyApplication;
  config: ServiceConfig;
  close(): Promise<void>;
}

/**
 * Starts one service in this process on a free loopback port, configured the way
 * main.ts configures it, but from the given values instead of process.env.
 */
export async function startTestService(
  name: ServiceName,
  register: (config: ServiceConfig) => DynamicModule,
  env: { databaseUrl: string; brokers: string[]; port?: number; extra?: Record<string, string> },
): Promise<RunningService> {
  const config = loadServiceConfig(name, {
    DATABASE_URL: env.databaseUrl,
    KAFKA_BROKERS: env.brokers.join(','),
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    // Quiet by default so test output stays readable; TEST_LOG_LEVEL=info shows the services' logs.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
    // No scheduled tally check: tests tally with an instant of their own (TalliesService.tallyDue).
    SETTLEMENT_TALLY_CHECK_MS: '0',
    ...env.extra,
  });
  const app = await createServiceApp(register(config), config, {
    title: `${name} (test)`,
    description: 'test instance',
  });
  await app.listen({ port: env.port ?? 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { name, url: `http://127.0.0.1:${port}`, app, config, close: () => app.close() };
}

export function testToken(role: Role, dealer?: string, sub = `${role}-${dealer ?? 'user'}`): string {
  return issueToken(TEST_JWT_SECRET, { sub, role, ...(dealer ? { dealer } : {}) });
}

export function bearer(role: Role, dealer?: string, sub?: string): { Authorization: string } {
  return { Authorization: `Bearer ${testToken(role, dealer, sub)}` };
}

/** Polls until `probe` returns a value other than undefined, or fails with the last error after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A loopback port free right now (for services that must know each other's URLs before they start). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
