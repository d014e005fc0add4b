import { execFileSync } from 'node:child_process';

/**
 * The physical reference of a small write: pgbench's TPC-B transaction (three UPDATEs, a SELECT
 * and an INSERT in one transaction) on the same PostgreSQL, with the same number of clients.
 */

const PG = ['-h', process.env.PGHOST ?? '127.0.0.1', '-p', process.env.PGPORT ?? '5432', '-U', 'postgres'];
const DATABASE = 'bench_pgbench';

function pgbenchBinary(): string {
  try {
    execFileSync('pgbench', ['--version'], { stdio: 'ignore' });
    return 'pgbench';
  } catch {
    const dir = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1']).toString().trim();
    return `${dir}/pgbench`;
  }
}

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
}

/** Initialises a scale-10 pgbench database once per call, then runs `clients` for `seconds`. */
export function pgbenchTpcB(clients: number, seconds: number): PgbenchResult {
  const bin = pgbenchBinary();
  execFileSync(
    'psql',
    [
      ...PG,
      '-X',
      '-q',
      '-d',
      'postgres',
      '-c',
      `DROP DATABASE IF EXISTS ${DATABASE}`,
      '-c',
      `CREATE DATABASE ${DATABASE}`,
    ],
    {
      stdio: 'ignore',
    },
  );
  try {
    execFileSync(bin, [...PG, '-i', '-q', '-s', '10', DATABASE], { stdio: 'ignore' });
    const out = execFileSync(
      bin,
      [...PG, '-n', '-c', String(clients), '-j', String(Math.min(2, clients)), '-T', String(seconds), DATABASE],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    ).toString();
    const tps = /tps = ([\d.]+)/.exec(out);
    const latency = /latency average = ([\d.]+) ms/.exec(out);
    if (!tps) throw new Error(`pgbench printed no tps:\n${out}`);
    return { tps: Number(tps[1]), latencyMs: latency ? Number(latency[1]) : NaN };
  } finally {
    execFileSync('psql', [...PG, '-X', '-q', '-d', 'postgres', '-c', `DROP DATABASE IF EXISTS ${DATABASE}`], {
      stdio: 'ignore',
    });
  }
}
