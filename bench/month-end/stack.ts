import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** The local stack of `scripts/stack.sh up`, as a benchmark drives it: four services, the mock broker, PostgreSQL. */

export const ROOT = join(__dirname, '..', '..');
export const SERVICES = ['dealers', 'requisitions', 'returns', 'settlement'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const PORTS: Record<ServiceName, number> = {
  dealers: 3001,
  requisitions: 3002,
  returns: 3003,
  settlement: 3004,
};
export const url = (service: ServiceName): string => `http://127.0.0.1:${PORTS[service]}`;
/** The services the burst benchmark can run twice; a second instance listens on its port + 10 (scripts/stack.sh). */
export const SCALABLE = ['dealers', 'settlement'] as const satisfies readonly ServiceName[];
export type Instances = 1 | 2;
/** The base URL of each running instance of `service`. */
export const instanceUrls = (service: ServiceName, instances: Instances): string[] =>
  instances === 2 ? [url(service), `http://127.0.0.1:${PORTS[service] + 10}`] : [url(service)];
/** Process names as the stack's pid files have them: the services, their second instances (`<service>-2`), the broker. */
export type StackPids = Record<string, number>;

/** The secret the stack's services verify tokens with (the local default unless AUTH_JWT_SECRET is set). */
export const JWT_SECRET = process.env.AUTH_JWT_SECRET ?? 'local-development-secret-please-change';

export const log = (bench: string, msg: string): void => void process.stdout.write(`[bench:${bench}] ${msg}\n`);

function stackCommand(args: string[], env: Record<string, string> = {}): void {
  execFileSync('bash', [join(ROOT, 'scripts/stack.sh'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Benchmarks measure the services, not their request logs.
    env: { ...process.env, AUTH_JWT_SECRET: JWT_SECRET, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env },
  });
}

/**
 * Starts a fresh stack (fresh databases) and returns the pid of each service and of the broker;
 * with `instances` 2, dealers and settlement run twice (same database, same consumer group).
 */
export function stackUp(instances: Instances = 1): StackPids {
  stackCommand(['up'], { STACK_SECOND_INSTANCES: instances === 2 ? SCALABLE.join(' ') : '' });
  return stackPids(instances);
}

export function stackDown(): void {
  stackCommand(['down']);
}

export function stackPids(instances: Instances = 1): StackPids {
  const pid = (name: string): number => {
    const file = join(ROOT, '.stack', `${name}.pid`);
    if (!existsSync(file)) throw new Error(`${file} is missing: is the stack up?`);
    return Number(readFileSync(file, 'utf8').trim());
  };
  const seconds = instances === 2 ? SCALABLE.map((s) => `${s}-2`) : [];
  return Object.fromEntries([...SERVICES, ...seconds, 'broker'].map((name) => [name, pid(name)]));
}

/** Runs `body` on a fresh stack and stops the stack afterwards, also when `body` fails. */
export async function withStack<T>(body: (pids: StackPids) => Promise<T>, instances: Instances = 1): Promise<T> {
  const pids = stackUp(instances);
  const statistics = await keepStatistics();
  try {
    return await body(pids);
  } finally {
    await statistics.stop();
    stackDown();
  }
}

const STATISTICS_EVERY_MS = 5_000;

/**
 * A production PostgreSQL runs autovacuum, which keeps the planner's statistics in step with
 * tables that grow. Where it is off (the CI machines' configuration), the fresh stack's tables
 * would grow from empty under statistics that still say empty, and the planner would pick plans
 * no production server would (a whole-table scan for a ten-phone lookup). There, every few
 * seconds, the benchmark does what autovacuum's ANALYZE would: it analyzes each service's database.
 */
async function keepStatistics(): Promise<{ stop(): Promise<void> }> {
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  const [{ autovacuum }] = (await admin.query<{ autovacuum: string }>('SHOW autovacuum')).rows;
  await admin.end();
  if (autovacuum === 'on') return { stop: async () => undefined };
  log(
    'stack',
    `autovacuum is off on this PostgreSQL: the services' databases are analyzed every ${STATISTICS_EVERY_MS / 1000} s`,
  );
  let running: Promise<void> = Promise.resolve();
  const analyze = async () => {
    for (const service of SERVICES) {
      const db = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${service}` });
      await db.connect();
      try {
        await db.query('ANALYZE');
      } finally {
        await db.end();
      }
    }
  };
  const timer = setInterval(() => {
    running = running.then(analyze).catch((err: Error) => log('stack', `ANALYZE failed: ${err.message}`));
  }, STATISTICS_EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
