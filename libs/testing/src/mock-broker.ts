import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** A running librdkafka mock cluster (deploy/mock-broker), controlled over its stdin. */
export interface MockBroker {
  /** host:port of every broker, for KAFKA_BROKERS / kafkajs `brokers`. */
  readonly brokers: string[];
  /** Takes every broker down (log kept); resolves when the launcher answers OK. */
  down(): Promise<void>;
  /** Brings every broker back up. */
  up(): Promise<void>;
  /** Stops the launcher (closes stdin, then SIGTERM/SIGKILL if needed). */
  stop(): Promise<void>;
}

export interface StartMockBrokerOptions {
  /** Number of brokers (default 3). */
  brokers?: number;
  /** Milliseconds to wait for the BOOTSTRAP line (default 15000). */
  startTimeoutMs?: number;
}

const MOCK_BROKER_DIR = resolve(__dirname, '../../../deploy/mock-broker');

/** Builds the launcher when missing or stale (bash deploy/mock-broker/build.sh). */
export function buildMockBroker(): string {
  execFileSync('bash', [resolve(MOCK_BROKER_DIR, 'build.sh')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return resolve(MOCK_BROKER_DIR, 'mock-broker');
}

export async function startMockBroker(opts: StartMockBrokerOptions = {}): Promise<MockBroker> {
  const binary = buildMockBroker();
  const args = ['--exit-on-eof'];
  if (opts.brokers !== undefined) args.push('--brokers', String(opts.brokers));
  const child: ChildProcessWithoutNullStreams = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });

  const lines = createInterface({ input: child.stdout });
  const waiters: Array<{ resolve: (line: string) => void; reject: (err: Error) => void }> = [];
  const buffered: string[] = [];
  let exited: Error | undefined;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  lines.on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(line);
    else buffered.push(line);
  });
  const exitPromise = new Promise<void>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exited = new Error(`mock broker exited (code ${code}, signal ${signal}): ${stderr.trim()}`);
      for (const w of waiters.splice(0)) w.reject(exited);
      resolveExit();
    });
  });
  child.once('error', (err) => {
    exited = err;
    for (const w of waiters.splice(0)) w.reject(err);
  });

  const nextLine = (timeoutMs: number): Promise<string> => {
    const ready = buffered.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (exited) return Promise.reject(exited);
    return new Promise<string>((res, rej) => {
      const waiter = {
        resolve: (line: string) => {
          clearTimeout(timer);
          res(line);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          rej(err);
        },
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
        rej(new Error(`mock broker did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };

  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exitPromise;
    clearTimeout(timer);
    clearTimeout(hard);
  };

  let first: string;
  try {
    first = await nextLine(opts.startTimeoutMs ?? 15_000);
  } catch (err) {
    await kill();
    throw err;
  }
  const match = /^BOOTSTRAP (\S+)$/.exec(first);
  if (!match) {
    await kill();
    throw new Error(`mock broker printed an unexpected first line: ${first}`);
  }
  const brokers = match[1].split(',').filter(Boolean);

  // Commands are answered in order; serialise them so each awaits its own answer.
  let queue: Promise<unknown> = Promise.resolve();
  const command = (cmd: string): Promise<void> => {
    const run = async (): Promise<void> => {
      if (exited) throw exited;
      child.stdin.write(`${cmd}\n`);
      const answer = await nextLine(10_000);
      if (answer !== `OK ${cmd}`) throw new Error(`mock broker refused "${cmd}": ${answer}`);
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    brokers,
    down: () => command('down'),
    up: () => command('up'),
    stop: kill,
  };
}
