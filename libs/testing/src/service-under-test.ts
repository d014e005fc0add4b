import type { DynamicModule } from '@nestjs/common';
import { Client } from 'pg';
import type { ServiceConfig } from '@app/platform';
import { KafkaProbe } from './kafka-probe';
import { MockBroker, startMockBroker } from './mock-broker';
import { RunningService, ServiceName, startTestService } from './service-harness';
import { createTestDatabase, TestDatabase } from './test-database';

/** One service on a broker and a database of its own, with a SQL client and a Kafka probe for the test. */
export interface ServiceUnderTest {
  broker: MockBroker;
  db: TestDatabase;
  svc: RunningService;
  /** Connected to the service's database. */
  sql: Client;
  /** Connects on first use. */
  probe: KafkaProbe;
  /** Stops everything in reverse order of start. */
  close(): Promise<void>;
}

/**
 * The usual integration fixture: fresh mock broker, fresh database `<dbPrefix>_…_test`, the
 * service in this process, a SQL client and a probe. Whatever started is stopped again if a later
 * step fails.
 */
export async function startServiceUnderTest(
  name: ServiceName,
  register: (config: ServiceConfig) => DynamicModule,
  dbPrefix: string,
  /** Settings beyond the defaults (e.g. DATABASE_POOL_SIZE). */
  extra?: Record<string, string>,
): Promise<ServiceUnderTest> {
  const stops: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop();
    stops.length = 0;
  };
  try {
    const broker = await startMockBroker();
    stops.push(() => broker.stop());
    const db = await createTestDatabase(dbPrefix);
    stops.push(() => db.drop());
    const svc = await startTestService(name, register, { databaseUrl: db.url, brokers: broker.brokers, extra });
    stops.push(() => svc.close());
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    stops.push(() => sql.end());
    const probe = new KafkaProbe(broker.brokers);
    stops.push(() => probe.close());
    return { broker, db, svc, sql, probe, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The usual set-up of an integration spec: starts the service under test before the suite (then
 * calls `ready` with it, to keep what the spec uses and seed its data) and, after the suite,
 * restores jest's spies and stops everything that started.
 */
export function useServiceUnderTest(
  name: ServiceName,
  module: { register(config: ServiceConfig): DynamicModule },
  dbPrefix: string,
  ready: (stack: ServiceUnderTest) => Promise<void> | void = () => undefined,
): void {
  let stack: ServiceUnderTest | undefined;
  beforeAll(async () => {
    stack = await startServiceUnderTest(name, (config) => module.register(config), dbPrefix);
    await ready(stack);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await stack?.close();
  });
}
