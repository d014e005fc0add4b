/**
 * npm run bench:burst — the month-end shape: many dealers each sending 10-card batches (with an
 * Idempotency-Key, as their software does), one request in ten a report part (PUT sales), while
 * dealers read their balance from settlement; closed loop at several concurrency levels.
 * Printed beside pgbench's TPC-B write transaction with the same client count on the same
 * PostgreSQL, measured in the same run.
 * BENCH_BURST_LEVELS (5,10,20 connections), BENCH_BURST_SECONDS (15), BENCH_BURST_DEALERS (50).
 */
import { cpuMeter } from './proc-cpu';
import { pgbenchTpcB } from './pgbench';
import { ms, perSecond, printTable, Row } from './report';
import { dealerToken, MONTH, seedDealers } from './seed';
import { log, SERVICES, url, withStack } from './stack';
import { ensureWrk, luaString, runWrk } from './wrk';

const LEVELS = (process.env.BENCH_BURST_LEVELS ?? '5,10,20').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 15);
const DEALERS = Number(process.env.BENCH_BURST_DEALERS ?? 50);

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

async function main(): Promise<void> {
  ensureWrk();
  const rows: Row[] = [];
  await withStack(async (pids) => {
    const codes = await seedDealers(DEALERS);
    for (const [run, connections] of LEVELS.entries()) {
      const readers = Math.max(1, Math.round(connections / 5));
      log('burst', `${connections} writing connections + ${readers} balance readers, ${DEALERS} dealers, ${SECONDS} s`);
      const meter = cpuMeter(pids);
      const [writes, reads] = await Promise.all([
        runWrk(url('dealers'), connections, SECONDS, writesLua(codes, run)),
        runWrk(url('settlement'), readers, SECONDS, readsLua(codes)),
      ]);
      const cpu = meter();
      const requests = writes.requests + reads.requests;
      const perRequest = [...SERVICES, 'broker', 'postgres']
        .map((p) => `${p} ${((cpu[p] * 1000) / requests).toFixed(1)}`)
        .join(', ');
      const reference = pgbenchTpcB(connections, SECONDS);
      rows.push({
        work: `${connections} conn: batches + parts | balance reads`,
        measured:
          `${perSecond(writes.perSecond)} (≈ ${perSecond(writes.perSecond * 9.1)} cards), p50 ${ms(writes.p50Ms)}, p99 ${ms(writes.p99Ms)}, errors ${writes.errors}` +
          ` | ${perSecond(reads.perSecond)}, p99 ${ms(reads.p99Ms)}, errors ${reads.errors}; CPU ms/req: ${perRequest}`,
        reference: `pgbench TPC-B, ${connections} clients: ${perSecond(reference.tps)} tx, avg ${ms(reference.latencyMs)}`,
        ratio: writes.perSecond / reference.tps,
        aim: '≥ 0.30, p99 ≤ 250 ms, 0 errors',
      });
    }
  });
  printTable('burst', rows);
}

main().catch((err) => {
  process.stderr.write(`[bench:burst] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
