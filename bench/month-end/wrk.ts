import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * HTTP load from wrk (a C load generator, so the client costs little of the 2 cores and the same
 * client measures the service and its reference). Closed loop: each connection sends its next
 * request when the previous answer arrives. The Lua script's `done` prints one JSON line.
 */

export interface WrkResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connect, read, write and timeout errors plus answers that are not 2xx/3xx. */
  errors: number;
}

const DONE = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"us":%d,"p50":%d,"p99":%d,"max":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout + e.status))
end
`;

export function ensureWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    // `wrk --version` exits 1 after printing its version; only a missing binary is ENOENT.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return;
    execFileSync(
      'bash',
      ['-c', 'apt-get install -y -qq wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)'],
      {
        stdio: 'inherit',
      },
    );
  }
}

/** Runs wrk against `target` with `connections` for `seconds`; `lua` sets up wrk.method/headers or `request()`. */
export function runWrk(target: string, connections: number, seconds: number, lua: string): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  const script = join(dir, 'script.lua');
  writeFileSync(script, `${lua}\n${DONE}`);
  const threads = Math.min(2, connections);
  const args = [
    '-t',
    String(threads),
    '-c',
    String(connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '30s',
    '-s',
    script,
    target,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`wrk exited ${code}:\n${out}`));
      const r = JSON.parse(line.slice('WRK_RESULT '.length));
      const secondsRun = r.us / 1e6;
      resolve({
        requests: r.requests,
        seconds: secondsRun,
        perSecond: r.requests / secondsRun,
        p50Ms: r.p50 / 1000,
        p99Ms: r.p99 / 1000,
        maxMs: r.max / 1000,
        errors: r.errors,
      });
    });
  });
}

/** A Lua string literal. */
export const luaString = (s: string): string => JSON.stringify(s);
