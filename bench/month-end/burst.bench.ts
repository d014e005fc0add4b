/**
 * npm run bench:burst — the month-end shape: many dealers each sending 10-card batches (with an
 * Idempotency-Key, as their software does), one request in ten a report part (PUT sales), while
 * dealers read their balance from settlement; closed loop at several concurrency levels.
 * Printed beside pgbench's TPC-B write transaction with the same client count on the same
 * PostgreSQL, measured in the same run.
 * BENCH_BURST_LEVELS (5,10,20 connections), BENCH_BURST_SECONDS (15), BENCH_BURST_DEALERS (50).
 * BENCH_BURST_INSTANCES (1): "1,2" runs the levels again on a fresh stack with two instances of
 * dealers and of settlement (same databases, same consumer groups, both outbox relays contending
 * for the one advisory lock), the writes and the reads split over the two instances, and prints
 * the one- and two-instance figures side by side.
 */
import { cpuMeter } from './proc-cpu';
import { pgbenchTpcB } from './pgbench';
import { ms, perSecond, printTable, Row } from './report';
import { dealerToken, MONTH, seedDealers } from './seed';
import { instanceUrls, Instances, log, withStack } from './stack';
import { ensureWrk, luaString, runWrk, WrkResult } from './wrk';

const LEVELS = (process.env.BENCH_BURST_LEVELS ?? '5,10,20').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 15);
const DEALERS = Number(process.env.BENCH_BURST_DEALERS ?? 50);
const INSTANCES = (process.env.BENCH_BURST_INSTANCES ?? '1').split(',').map(Number) as Instances[];

/** wrk's request(): dealer d's next request; serials and keys are unique per run, thread and counter. */
function writesLua(codes: string[], run: number): string {
  const table = (xs: string[]) => `{ ${xs.map(luaString).join(', ')} }`;
  return `
local codes = ${table(codes)}
local tokens = ${table(codes.map((c) => `Bearer ${dealerToken(c)}`))}
local run = ${run}
local counter = 0
local threads = 0
setup = function(thread) thread:set("tid", threads); threads = threads + 1 end
local function card(serial, outlet, phone)
  return '{"serial":"' .. serial .. '","model":"EB-100","saleDate":"${MONTH}-10","outlet":"' .. outlet ..
    '","consumerName":"张三","phone":"' .. phone .. '","address":"上海市浦东新区"}'
end
request = function()
  counter = counter + 1
  local d = ((counter * 7 + tid) % #codes) + 1
  local code = codes[d]
  local headers = { ["Authorization"] = tokens[d], ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("burst-%d-%d-%d", run, tid, counter) }
  if counter % 10 == 0 then
    local body = '{"lines":[{"outlet":"' .. code .. '","model":"EB-100","units":' .. (counter % 50) .. ',"amount":"1999.00"}]}'
    return wrk.format("PUT", "/v1/dealers/" .. code .. "/reports/${MONTH}/sales", headers, body)
  end
  local parts = {}
  for i = 1, 10 do
    local n = ((run * 4 + tid) * 100000000 + counter) * 10 + i
    parts[i] = card(string.format("BU%012d", n), code, string.format("13%09d", n % 1000000000))
  end
  return wrk.format("POST", "/v1/dealers/" .. code .. "/reports/${MONTH}/warranty-cards", headers,
    '{"cards":[' .. table.concat(parts, ",") .. ']}')
end
`;
}

function readsLua(codes: string[]): string {
  const paths = codes.map((c) => luaString(`/v1/dealers/${c}/balance`)).join(', ');
  const tokens = codes.map((c) => luaString(`Bearer ${dealerToken(c)}`)).join(', ');
  return `
local paths = { ${paths} }
local tokens = { ${tokens} }
local counter = 0
request = function()
  counter = counter + 1
  local d = (counter % #paths) + 1
  return wrk.format("GET", paths[d], { ["Authorization"] = tokens[d] })
end
`;
}

/** `total` connections over the instances, as evenly as they go. */
const spread = (total: number, instances: number): number[] =>
  Array.from({ length: instances }, (_, i) => Math.floor(total / instances) + (i < total % instances ? 1 : 0));

/**
 * One wrk per instance at once, merged: requests and errors add up; wrk's percentiles cannot be
 * merged, so with two instances p50 / p99 / max are the larger of the two (an upper bound).
 */
async function wrkOver(targets: string[], connections: number, lua: (k: number) => string): Promise<WrkResult> {
  const parts = await Promise.all(
    spread(connections, targets.length).map((c, k) => runWrk(targets[k], c, SECONDS, lua(k))),
  );
  const max = (f: (r: WrkResult) => number) => Math.max(...parts.map(f));
  const sum = (f: (r: WrkResult) => number) => parts.reduce((n, r) => n + f(r), 0);
  return {
    requests: sum((r) => r.requests),
    seconds: max((r) => r.seconds),
    perSecond: sum((r) => r.perSecond),
    p50Ms: max((r) => r.p50Ms),
    p99Ms: max((r) => r.p99Ms),
    maxMs: max((r) => r.maxMs),
    errors: sum((r) => r.errors),
  };
}

/**
 * Waits until every instance answers /health with 200: after a second member joins, the consumer
 * groups rebalance, and the first request of a new stack may meet a keep-alive socket of the
 * previous one on the same port (it fails, and is retried).
 */
async function untilSettled(urls: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const target of urls) {
    for (;;) {
      const status = await fetch(`${target}/health`).then(
        async (res) => (await res.arrayBuffer(), res.status),
        () => 0,
      );
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`${target}/health did not answer 200 within 120 s (last ${status})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The levels on a fresh stack running `instances` of dealers and of settlement. */
async function levels(instances: Instances): Promise<Array<Row & { perSecond: number }>> {
  const rows: Array<Row & { perSecond: number }> = [];
  const label = instances === 2 ? '2 instances, ' : '';
  await withStack(async (pids) => {
    await untilSettled([...instanceUrls('dealers', instances), ...instanceUrls('settlement', instances)]);
    const codes = await seedDealers(DEALERS);
    for (const [level, connections] of LEVELS.entries()) {
      const readers = Math.max(instances, Math.round(connections / 5));
      log(
        'burst',
        `${label}${connections} writing connections + ${readers} balance readers, ${DEALERS} dealers, ${SECONDS} s`,
      );
      const meter = cpuMeter(pids);
      // Serials and idempotency keys stay unique per wrk: each instance's wrk has a run number of its own.
      const [writes, reads] = await Promise.all([
        wrkOver(instanceUrls('dealers', instances), connections, (k) => writesLua(codes, level * 2 + k)),
        wrkOver(instanceUrls('settlement', instances), readers, () => readsLua(codes)),
      ]);
      const cpu = meter();
      const requests = writes.requests + reads.requests;
      const perRequest = [...Object.keys(pids), 'postgres']
        .map((p) => `${p} ${((cpu[p] * 1000) / requests).toFixed(1)}`)
        .join(', ');
      const reference = pgbenchTpcB(connections, SECONDS);
      const bound = instances === 2 ? ' (≤)' : '';
      rows.push({
        work: `${label}${connections} conn: batches + parts | balance reads`,
        measured:
          `${perSecond(writes.perSecond)} (≈ ${perSecond(writes.perSecond * 9.1)} cards), p50${bound} ${ms(writes.p50Ms)}, p99${bound} ${ms(writes.p99Ms)}, errors ${writes.errors}` +
          ` | ${perSecond(reads.perSecond)}, p99${bound} ${ms(reads.p99Ms)}, errors ${reads.errors}; CPU ms/req: ${perRequest}`,
        reference: `pgbench TPC-B, ${connections} clients: ${perSecond(reference.tps)} tx, avg ${ms(reference.latencyMs)}`,
        ratio: writes.perSecond / reference.tps,
        aim: '≥ 0.30, p99 ≤ 250 ms, 0 errors',
        perSecond: writes.perSecond,
      });
    }
  }, instances);
  return rows;
}

async function main(): Promise<void> {
  ensureWrk();
  const byInstances = new Map<Instances, Array<Row & { perSecond: number }>>();
  for (const instances of INSTANCES) byInstances.set(instances, await levels(instances));
  const rows: Row[] = [...byInstances.values()].flat();
  const one = byInstances.get(1);
  const two = byInstances.get(2);
  if (one && two)
    LEVELS.forEach((connections, i) =>
      rows.push({
        work: `${connections} conn: two instances against one`,
        measured: `${perSecond(two[i].perSecond)} with two instances of dealers and settlement`,
        reference: `${perSecond(one[i].perSecond)} with one`,
        ratio: two[i].perSecond / one[i].perSecond,
        aim: 'same machine: shows the cost of sharing, not scale-out',
      }),
    );
  printTable('burst', rows);
}

main().catch((err) => {
  process.stderr.write(`[bench:burst] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
