import { DealersAppModule } from '../../apps/dealers/src/dealers-app.module';
import { RequisitionsAppModule } from '../../apps/requisitions/src/requisitions-app.module';
import { ReturnsAppModule } from '../../apps/returns/src/returns-app.module';
import { SettlementAppModule } from '../../apps/settlement/src/settlement-app.module';
import {
  createTestDatabase,
  freePort,
  MockBroker,
  RunningService,
  ServiceName,
  startMockBroker,
  TestDatabase,
} from '@app/testing';
import { startServiceOn } from './in-process-service';

export interface TestSystem {
  broker: MockBroker;
  dealers: RunningService;
  requisitions: RunningService;
  returns: RunningService;
  settlement: RunningService;
  all: RunningService[];
  stop(): Promise<void>;
}

/**
 * The four services in this process, each on its own fresh database, sharing one real broker;
 * `env` adds settings of one service's own (e.g. a shorter job interval).
 */
export async function startSystem(
  options: { env?: Partial<Record<ServiceName, Record<string, string>>> } = {},
): Promise<TestSystem> {
  const broker = await startMockBroker();
  const databases: TestDatabase[] = [];
  const started: RunningService[] = [];
  // Ports are chosen first: each service must know the others' event feeds when it starts.
  const names: readonly ServiceName[] = ['dealers', 'requisitions', 'returns', 'settlement'];
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const))) as Record<
    ServiceName,
    number
  >;
  const EVENT_FEED_URLS = names.map((n) => `${n}=http://127.0.0.1:${ports[n]}`).join(',');
  // As on the local stack: settlement's /docs lists the other three, and each service admits its calls (CORS).
  const DOCS_PEER_URLS = names
    .filter((n) => n !== 'settlement')
    .map((n) => `${n}=http://127.0.0.1:${ports[n]}/docs-json`)
    .join(',');
  const CORS_ALLOWED_ORIGINS = `http://127.0.0.1:${ports.settlement}`;
  const start = async (name: ServiceName, register: Parameters<typeof startServiceOn>[1]) => {
    const db = await createTestDatabase(`e2e_${name}`);
    databases.push(db);
    const svc = await startServiceOn(name, register, db, broker, ports[name], {
      EVENT_FEED_URLS,
      CORS_ALLOWED_ORIGINS,
      ...(name === 'settlement' ? { DOCS_PEER_URLS } : {}),
      ...options.env?.[name],
    });
    started.push(svc);
    return svc;
  };
  try {
    const [dealers, requisitions, returns, settlement] = await Promise.all([
      start('dealers', (c) => DealersAppModule.register(c)),
      start('requisitions', (c) => RequisitionsAppModule.register(c)),
      start('returns', (c) => ReturnsAppModule.register(c)),
      start('settlement', (c) => SettlementAppModule.register(c)),
    ]);
    const stop = async () => {
      await Promise.allSettled(started.map((s) => s.close()));
      await broker.stop();
      await Promise.allSettled(databases.map((d) => d.drop()));
    };
    return {
      broker,
      dealers,
      requisitions,
      returns,
      settlement,
      all: [dealers, requisitions, returns, settlement],
      stop,
    };
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.close()));
    await broker.stop();
    await Promise.allSettled(databases.map((d) => d.drop()));
    throw err;
  }
}
