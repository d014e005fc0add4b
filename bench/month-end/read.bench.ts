/**
 * npm run bench:read — authenticated small reads on each service (20 connections, closed loop),
 * each beside bare node:http serving the same body, measured in the same run.
 * BENCH_READ_SECONDS (10), BENCH_READ_CONNECTIONS (20).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMeter, processCpuSeconds } from './proc-cpu';
import { printTable, ms, perSecond, Row } from './report';
import { dealerToken, seedDealers } from './seed';
import { log, ROOT, ServiceName, url, withStack } from './stack';
import { ensureWrk, luaString, runWrk, WrkResult } from './wrk';

const SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_READ_CONNECTIONS ?? 20);
const BARE_PORT = 3099;

interface Read {
  service: ServiceName;
  path: string;
}

const READS: Read[] = [
  { service: 'dealers', path: '/v1/dealers/B0001' },
  { service: 'requisitions', path: '/v1/requisitions?limit=20' },
  { service: 'returns', path: '/v1/returns?limit=20' },
  { service: 'settlement', path: '/v1/dealers/B0001/balance' },
];

const readLua = (path: string, token: string) =>
  `wrk.method = "GET"\nwrk.path = ${luaString(path)}\nwrk.headers["Authorization"] = ${luaString(`Bearer ${token}`)}`;

async function bodyOf(read: Read, token: string): Promise<Buffer> {
  const res = await fetch(`${url(read.service)}${read.path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${read.path} on ${read.service}: ${res.status} ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}

/** The same body from bare node:http in a process of its own. */
async function bareReference(body: Buffer): Promise<{ result: WrkResult; cpuPerRequestMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-read-'));
  writeFileSync(join(dir, 'body.json'), body);
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'bare-server.ts'),
      String(BARE_PORT),
      join(dir, 'body.json'),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('READY') && resolve());
    child.on('exit', (code) => reject(new Error(`bare server exited ${code}`)));
  });
  try {
    const before = processCpuSeconds(child.pid!);
    const result = await runWrk(`http://127.0.0.1:${BARE_PORT}`, CONNECTIONS, SECONDS, 'wrk.method = "GET"');
    return { result, cpuPerRequestMs: ((processCpuSeconds(child.pid!) - before) * 1000) / result.requests };
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  ensureWrk();
  const rows: Row[] = [];
  await withStack(async (pids) => {
    await seedDealers(1);
    const token = dealerToken('B0001');
    for (const read of READS) {
      const body = await bodyOf(read, token);
      log('read', `${read.service} GET ${read.path} (${body.length} bytes): ${CONNECTIONS} connections, ${SECONDS} s`);
      const meter = cpuMeter({ service: pids[read.service] });
      const measured = await runWrk(url(read.service), CONNECTIONS, SECONDS, readLua(read.path, token));
      const cpu = meter();
      const bare = await bareReference(body);
      const cpuMs = (cpu.service * 1000) / measured.requests;
      const pgMs = (cpu.postgres * 1000) / measured.requests;
      rows.push({
        work: `${read.service} GET ${read.path.split('?')[0]}`,
        measured: `${perSecond(measured.perSecond)}, p50 ${ms(measured.p50Ms)}, p99 ${ms(measured.p99Ms)}, errors ${measured.errors}; CPU/req service ${cpuMs.toFixed(2)} ms, PostgreSQL ${pgMs.toFixed(2)} ms`,
        reference: `bare node:http ${perSecond(bare.result.perSecond)}, p50 ${ms(bare.result.p50Ms)}; CPU/req ${bare.cpuPerRequestMs.toFixed(3)} ms`,
        ratio: measured.perSecond / bare.result.perSecond,
        aim: '≥ 0.30',
      });
    }
  });
  printTable('read', rows);
}

main().catch((err) => {
  process.stderr.write(`[bench:read] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
