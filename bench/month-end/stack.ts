import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** The secret the stack's services verify tokens with (the local default unless AUTH_JWT_SECRET is set). */
export const JWT_SECRET = process.env.AUTH_JWT_SECRET ?? 'local-development-secret-please-change';

export const log = (bench: string, msg: string): void => void process.stdout.write(`[bench:${bench}] ${msg}\n`);

function stackCommand(...args: string[]): void {
  execFileSync('bash', [join(ROOT, 'scripts/stack.sh'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Benchmarks measure the services, not their request logs.
    env: { ...process.env, AUTH_JWT_SECRET: JWT_SECRET, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
}

/** Starts a fresh stack (fresh databases) and returns the pid of each service and of the broker. */
export function stackUp(): Record<ServiceName | 'broker', number> {
  stackCommand('up');
  return stackPids();
}

export function stackDown(): void {
  stackCommand('down');
}

export function stackPids(): Record<ServiceName | 'broker', number> {
  const pid = (name: string): number => {
    const file = join(ROOT, '.stack', `${name}.pid`);
    if (!existsSync(file)) throw new Error(`${file} is missing: is the stack up?`);
    return Number(readFileSync(file, 'utf8').trim());
  };
  return {
    dealers: pid('dealers'),
    requisitions: pid('requisitions'),
    returns: pid('returns'),
    settlement: pid('settlement'),
    broker: pid('broker'),
  };
}

/** Runs `body` on a fresh stack and stops the stack afterwards, also when `body` fails. */
export async function withStack<T>(body: (pids: Record<ServiceName | 'broker', number>) => Promise<T>): Promise<T> {
  const pids = stackUp();
  try {
    return await body(pids);
  } finally {
    stackDown();
  }
}
