import { messagingEntities, messagingMigrations, MessagingModule, MessagingOptions } from '@app/messaging';
import { ConsoleLogger, DynamicModule, Logger, LoggerService, Type } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { MockBroker, startMockBroker } from './mock-broker';
import { createTestDatabase, TestDatabase } from './test-database';

/** Silent unless TEST_LOGS is set: a failing messaging test is read with TEST_LOGS=1. */
export const quietTestLogger = (): ConsoleLogger =>
  new ConsoleLogger({ logLevels: process.env.TEST_LOGS ? ['log', 'warn', 'error'] : [] });

/**
 * The messaging library alone in a Nest testing module: its tables migrated on `databaseUrl`
 * (with the test's own migrations after them), and the test's modules of handlers.
 */
export function messagingTestModule(options: {
  databaseUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  messaging: MessagingOptions;
  imports: Array<Type | DynamicModule>;
}): TestingModuleBuilder {
  return Test.createTestingModule({
    imports: [
      ClsModule.forRoot({ global: true }),
      TypeOrmModule.forRoot({
        type: 'postgres',
        url: options.databaseUrl,
        entities: [...messagingEntities],
        migrations: [...messagingMigrations, ...options.migrations],
        migrationsRun: true,
        logging: false,
      }),
      MessagingModule.forRoot(options.messaging),
      ...options.imports,
    ],
  });
}

/** Sets Nest's logger to `logger`, then starts a database (named after `dbPrefix`) and a mock broker of the suite's own. */
export async function startMessagingSuite(
  dbPrefix: string,
  logger: LoggerService,
): Promise<[TestDatabase, MockBroker]> {
  Logger.overrideLogger(logger);
  return Promise.all([createTestDatabase(dbPrefix), startMockBroker()]);
}
