import { Module, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { createServiceApp, loadServiceConfig, PlatformModule, ServiceConfig } from '@app/platform';
import type { ServiceName } from './service-harness';
import { createTestDatabase, TestDatabase } from './test-database';

export const PLATFORM_TEST_SECRET = 'local-development-secret-please-change';

/** A service app of the platform alone with the test's controllers, on a fresh database. */
export interface PlatformTestApp {
  db: TestDatabase;
  config: ServiceConfig;
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  /** Connected to the app's database as `test-sql`. */
  sql: Client;
  /** Connected to the server's `postgres` database (to refuse or terminate connections). */
  admin: Client;
  close(): Promise<void>;
}

export async function startPlatformTestApp(options: {
  dbPrefix: string;
  service: ServiceName;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  controllers: Type[];
  env?: Record<string, string>;
  /** A database the test prepared (e.g. migrated part way) instead of a fresh one; dropped on close too. */
  database?: TestDatabase;
}): Promise<PlatformTestApp> {
  const db = options.database ?? (await createTestDatabase(options.dbPrefix));
  const admin = new Client({ connectionString: new URL('/postgres', db.url).toString() });
  await admin.connect();
  const config = loadServiceConfig(options.service, {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: 'localhost:9092',
    AUTH_JWT_SECRET: PLATFORM_TEST_SECRET,
    LOG_LEVEL: process.env.PLATFORM_TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });

  @Module({
    imports: [PlatformModule.forRoot({ config, entities: [], migrations: options.migrations })],
    controllers: options.controllers,
  })
  class PlatformTestModule {}

  const app = await createServiceApp(PlatformTestModule, config, {
    title: `${options.dbPrefix} test`,
    description: 'test',
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const sql = new Client({ connectionString: db.url, application_name: 'test-sql' });
  await sql.connect();
  return {
    db,
    config,
    app,
    http: request(app.getHttpAdapter().getInstance().server),
    sql,
    admin,
    close: async () => {
      try {
        await app.close();
        await sql.end();
      } finally {
        await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
        await admin.end();
        await db.drop();
      }
    },
  };
}
