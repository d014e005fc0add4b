import { createTestDatabase, MockBroker, RunningService, startTestService, TestDatabase } from '@app/testing';

/** Starting services in this process for the end-to-end and fault suites. */

/** A service in this process on `db`, the mock `broker` and `port`, with `extra` environment. */
export const startServiceOn = (
  name: Parameters<typeof startTestService>[0],
  register: Parameters<typeof startTestService>[1],
  db: TestDatabase,
  broker: MockBroker,
  port: number,
  extra: Record<string, string>,
): Promise<RunningService> =>
  startTestService(name, register, { databaseUrl: db.url, brokers: broker.brokers, port, extra });

/** Fresh databases named `${prefix}_${name}`, one per name, in that order. */
export const createTestDatabases = (prefix: string, names: string[]): Promise<TestDatabase[]> =>
  Promise.all(names.map((name) => createTestDatabase(`${prefix}_${name}`)));
