import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { TEST_JWT_SECRET, ServiceName } from '@app/testing';

const ROOT = resolve(__dirname, '../..');

/** A service running as its own Node process (main.ts through ts-node), so a test can kill -9 it. */
export interface ServiceProcess {
  name: ServiceName;
  url: string;
  port: number;
  pid: number;
  /** SIGKILL: no shutdown hooks, connections dropped mid-flight. Resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** The last lines the process wrote (for a failing test's message). */
  output(): string;
}

export interface ServiceProcessOptions {
  databaseUrl: string;
  brokers: string[];
  port: number;
  env?: Record<string, string>;
  /** Milliseconds to wait for /health 200 (compiling and migrating on 2 busy cores takes a while). */
  readyTimeoutMs?: number;
}

export async function startServiceProcess(name: ServiceName, options: ServiceProcessOptions): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${name}/src/main.ts`],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(options.port),
        DATABASE_URL: options.databaseUrl,
        KAFKA_BROKERS: options.brokers.join(','),
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        // The tests drive tallies themselves; a timer-driven tally would race their assertions.
        SETTLEMENT_TALLY_CHECK_MS: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    // The start-up poll of /health would crowd out everything else.
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l && !l.includes('"url":"/health"')),
    );
    if (lines.length > 200) lines.splice(0, lines.length - 200);
    if (process.env.TEST_LOGS) process.stderr.write(`[${name}:${child.pid}] ${chunk.toString('utf8')}`);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${options.port}`;
  const output = (): string =>
    lines
      .slice(-40)
      .map((l) => l.slice(0, 600))
      .join('\n');

  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited during start:\n${output()}`);
    const status = await fetch(`${url}/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${name} was not healthy within ${options.readyTimeoutMs ?? 120_000} ms (last /health ${status}):\n${output()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  const signal = async (sig: NodeJS.Signals, graceMs?: number): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    if (graceMs === undefined) return exited;
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    name,
    url,
    port: options.port,
    pid: child.pid!,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM', 15_000),
    output,
  };
}
