/**
 * npm run bench:cards — warranty cards accepted per second through the HTTP batch endpoint,
 * end to end (validated by every R-CARD-1 rule, stored, outbox written), on a database that
 * already holds 1,000,000 accepted cards; compared with a plain COPY of the same rows into a
 * scratch table with the same indexes.
 *
 * Environment: TEST_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_EXISTING (1000000), BENCH_NEW (200000), BENCH_BATCH (5000), BENCH_CONCURRENCY (3);
 * BENCH_CPU_PROFILE=<file.cpuprofile> records the CPU profile of the service's event loop in the HTTP run.
 *
 * --year (BENCH_YEAR=1): the same HTTP run on two fresh databases, without and with a year of
 * cards stored before the measured month (12 × BENCH_NEW, same dealers), printed side by side
 * with their ratio (aim ≤ 1.2×); BENCH_EXISTING does not apply (no COPY comparison).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import type { Client } from 'pg';
import { copyRowsWith } from '@app/platform';
import { startServiceUnderTest, testToken } from '@app/testing';
import { DealersAppModule } from '../apps/dealers/src/dealers-app.module';
import type { CardInput } from '../apps/dealers/src/warranty-cards/card-rules';
import { CARD_COLUMNS } from '../apps/dealers/src/warranty-cards/warranty-cards.repository';

const EXISTING = Number(process.env.BENCH_EXISTING ?? 1_000_000);
const NEW_CARDS = Number(process.env.BENCH_NEW ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
// Three dealers submitting at once: while one request waits for the database, another is parsed.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 3);
const YEAR = process.argv.includes('--year') || process.env.BENCH_YEAR === '1';
const DEALERS = 20;
const MODELS = ['EB-100', 'EB-200', 'EB-300', 'EB-500'];
const MONTH = '2026-02';

const dealerCode = (i: number) => `D${String(i).padStart(3, '0')}`;
const log = (msg: string) => process.stdout.write(`[bench:cards] ${msg}\n`);
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);
const fmt = (n: number) => n.toLocaleString('en-US');

/** utime + stime of a /proc/<pid>/stat line, in clock ticks (the name in parentheses may hold spaces). */
function statCpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU ticks used so far by each PostgreSQL process on this machine (Linux /proc; null elsewhere). */
function postgresCpuTicks(): Map<string, number> | null {
  try {
    const ticks = new Map<string, number>();
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        ticks.set(pid, statCpuTicks(stat));
      } catch {
        /* the process ended meanwhile */
      }
    }
    return ticks;
  } catch {
    return null;
  }
}

/** CPU seconds used so far by the calling thread (Linux /proc; null elsewhere). */
function threadCpuSeconds(): number | null {
  try {
    return statCpuTicks(readFileSync('/proc/thread-self/stat', 'utf8')) / 100; // USER_HZ = 100
  } catch {
    return null;
  }
}

type Card = CardInput;

/** New cards: unique serials, ~3 % duplicates (of stored cards or earlier new ones), ~2 % bad rows. */
function makeNewCards(n: number): Card[] {
  const cards: Card[] = [];
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < n; i += 1) {
    const dealer = dealerCode(1 + (Math.floor(i / BATCH) % DEALERS));
    const day = 1 + (i % 28);
    const c: Card = {
      serial: `NEW-${String(i).padStart(8, '0')}`,
      model: MODELS[i % MODELS.length],
      saleDate: `2026-02-${String(day).padStart(2, '0')}`,
      outlet: i % 5 === 0 ? `${dealer}-S1` : dealer,
      consumerName: `顾客${i}`,
      phone: `15${String(100_000_000 + i).slice(-9)}`,
      address: `浙江省杭州市西湖区文三路${i % 500}号`,
    };
    const r = rnd();
    if (r < 0.02)
      c.serial = `OLD-${String(Math.floor(rnd() * EXISTING)).padStart(8, '0')}`; // already accepted (of the 1,000,000)
    else if (r < 0.03 && i > 0)
      c.serial = cards[Math.floor(rnd() * i)].serial; // repeats an earlier new card
    else if (r < 0.035)
      c.phone = '12345'; // INVALID_FIELD
    else if (r < 0.04)
      c.model = 'XX-999'; // UNKNOWN_MODEL
    else if (r < 0.045)
      c.saleDate = '2026-03-15'; // SALE_DATE_OUT_OF_WINDOW
    else if (r < 0.05) c.outlet = 'NOWHERE'; // UNKNOWN_OUTLET
    cards.push(c);
  }
  return cards;
}

interface Batch {
  dealer: string;
  body: string;
  token: string;
}

/** The request bodies of the HTTP run: BATCH cards each, dealers in turn. */
function prepareBatches(): Batch[] {
  const cards = makeNewCards(NEW_CARDS);
  const batches: Batch[] = [];
  for (let i = 0; i < cards.length; i += BATCH) {
    const dealer = dealerCode(1 + (Math.floor(i / BATCH) % DEALERS));
    batches.push({
      dealer,
      body: JSON.stringify({ cards: cards.slice(i, i + BATCH) }),
      token: testToken('dealer', dealer),
    });
  }
  return batches;
}

/**
 * CPU used since a start mark: this Node process (service, relay and client) and PostgreSQL;
 * `threads`, when known, splits the Node figure (the service's event loop, the client's, and the
 * rest: garbage collection and libuv helper threads).
 */
function cpuSummary(
  nodeStart: NodeJS.CpuUsage,
  pgStart: Map<string, number> | null,
  threads?: { service: number; client: number },
): { text: string; seconds: number | null } {
  const node = process.cpuUsage(nodeStart);
  const nodeSeconds = (node.user + node.system) / 1e6;
  const split = threads
    ? ` (service event loop ${threads.service.toFixed(2)} s, client ${threads.client.toFixed(2)} s, other threads ${Math.max(0, nodeSeconds - threads.service - threads.client).toFixed(2)} s)`
    : '';
  const pgNow = postgresCpuTicks();
  // Processes alive at the end, less what each had used at the start (USER_HZ = 100).
  const pgSeconds =
    pgStart === null || pgNow === null
      ? null
      : [...pgNow].reduce((sum, [pid, t]) => sum + t - (pgStart.get(pid) ?? 0), 0) / 100;
  return {
    text: `node ${nodeSeconds.toFixed(2)} s${split}, postgres ${pgSeconds === null ? 'n/a' : `${pgSeconds.toFixed(2)} s`}`,
    seconds: pgSeconds === null ? null : nodeSeconds + pgSeconds,
  };
}

/**
 * The HTTP client (plain JavaScript for a worker thread): sends the batches, `concurrency` at a
 * time, over keep-alive connections with node:http. The bodies are encoded to UTF-8 before the
 * clocks start, as a client holding its files would have them. It receives every response whole
 * but reads only its counts, which come before the per-card results: a dealer's system would
 * read the results on its own machine, not on the two cores measured here. The rejections by
 * code are counted from the stored batches afterwards.
 */
const HTTP_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const { url, month, concurrency } = workerData;
const batches = workerData.batches.map((b) => ({ ...b, body: Buffer.from(b.body) }));
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const threadCpu = () => { try { const s = readFileSync('/proc/thread-self/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) / 100; } catch { return null; } };
let cpuAtStart = null;
let next = 0, sent = 0, accepted = 0, rejected = 0;
const COUNTS = /"accepted":(\\d+),"rejected":(\\d+),"results":\\[/;
function post(b) {
  return new Promise((resolve, reject) => {
    const req = http.request(url + '/v1/dealers/' + b.dealer + '/reports/' + month + '/warranty-cards', {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': b.body.length, authorization: 'Bearer ' + b.token },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, chunks }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(b.body);
  });
}
async function worker() {
  for (;;) {
    const b = batches[next++];
    if (!b) return;
    const res = await post(b);
    if (res.status !== 201) throw new Error('batch refused: ' + res.status + ' ' + Buffer.concat(res.chunks).toString());
    const counts = COUNTS.exec(res.chunks[0].toString('utf8', 0, 400));
    if (!counts) throw new Error('no counts at the head of the response: ' + res.chunks[0].toString('utf8', 0, 400));
    accepted += Number(counts[1]);
    rejected += Number(counts[2]);
    sent += 1;
    parentPort.postMessage({ sent, accepted, rejected });
  }
}
// The bodies arrived with workerData; the measured run starts on 'go'.
parentPort.once('message', () => {
  cpuAtStart = threadCpu();
  Promise.all(Array.from({ length: concurrency }, worker)).then(
    () => { agent.destroy(); parentPort.postMessage({ sent, accepted, rejected, done: true, cpu: cpuAtStart === null ? null : threadCpu() - cpuAtStart }); },
    (err) => parentPort.postMessage({ sent, accepted, rejected, error: String(err && err.stack || err) }),
  );
});
parentPort.postMessage({ ready: true });
`;

/**
 * The stored cards' columns for row numbers `i` from `source` (a FROM item naming `i`): dealer
 * i % DEALERS, a sale date `days` days from `firstDay`, all ACCEPTED. `$1`, `$2` are left to
 * `source`; $3 = dealers, $4 = model, $5 = serial prefix, $6 = phone prefix, $7 = first day, $8 = days.
 */
const STORED_CARDS = (source: string) => `
  INSERT INTO warranty_cards (batch_id, dealer_code, report_month, serial, model, sale_date, outlet, consumer_name, phone, address, status, flags)
  SELECT '00000000-0000-4000-8000-000000000000'::uuid, 'D' || lpad((1 + i % $3)::text, 3, '0'),
         to_char($7::date + (i % $8), 'YYYY-MM'), $5 || lpad(i::text, 8, '0'), $4,
         $7::date + (i % $8), 'D' || lpad((1 + i % $3)::text, 3, '0'), '顾客' || i,
         $6 || lpad(i::text, 9, '0'), '浙江省杭州市西湖区文三路' || (i % 500) || '号', 'ACCEPTED', '{}'
  FROM ${source}`;

/** `total` accepted cards in chunks of 100,000 (progress shown); rows over `days` days from `firstDay`. */
async function loadStoredCards(
  sql: Client,
  label: string,
  total: number,
  shape: { serialPrefix: string; phonePrefix: string; firstDay: string; days: number },
): Promise<void> {
  const chunk = 100_000;
  const tLoad = Date.now();
  for (let from = 0; from < total; from += chunk) {
    const to = Math.min(total, from + chunk) - 1;
    await sql.query(STORED_CARDS('generate_series($1::int, $2::int) i'), [
      from,
      to,
      DEALERS,
      MODELS[1],
      shape.serialPrefix,
      shape.phonePrefix,
      shape.firstDay,
      shape.days,
    ]);
    const done = to + 1;
    log(`loaded ${fmt(done)} / ${fmt(total)} ${label} (${rate(done, Date.now() - tLoad)} rows/s)`);
  }
}

/** The "already accepted" cards: OLD-<i>, sale dates over the 395 days from 2025-01-01. */
const OLD_CARDS = { serialPrefix: 'OLD-', phonePrefix: '13', firstDay: '2025-01-01', days: 395 };

/** Dealers, their sub-distributors, the catalogue, half of the new serials in the registry. */
async function seedReference(sql: Client): Promise<void> {
  await sql.query(
    `INSERT INTO dealers (code, name, status) SELECT 'D' || lpad(i::text, 3, '0'), 'Dealer ' || i, 'ACTIVE' FROM generate_series(1, $1) i`,
    [DEALERS],
  );
  await sql.query(
    `INSERT INTO sub_distributors (code, dealer_code, name, created_by) SELECT code || '-S1', code, 'Sub of ' || code, 'bench' FROM dealers`,
  );
  await sql.query(
    `INSERT INTO product_models (model, name, updated_by) SELECT m, m, 'bench' FROM unnest($1::text[]) m`,
    [MODELS],
  );
  await sql.query(
    `INSERT INTO shipped_serials (serial, model, dealer_code, shipped_on, reference)
     SELECT 'NEW-' || lpad(i::text, 8, '0'), $2, 'D' || lpad((1 + (i / $3) % $4)::text, 3, '0'), DATE '2025-01-15', 'BENCH'
     FROM generate_series(0, $1 - 1, 2) i`,
    [NEW_CARDS, MODELS[0], BATCH, DEALERS],
  );
}

interface HttpRun {
  httpMs: number;
  accepted: number;
  rejected: number;
  cpu: { text: string; seconds: number | null };
}

/** Sends the new cards' batches through the HTTP endpoint from a worker thread; checks the stored batches against the answers. */
async function httpRun(svcUrl: string, sql: Client): Promise<HttpRun> {
  // The client thread gets its own copy of the bodies; this thread drops them, so the service's
  // garbage collector does not trace a client's data.
  let batches: Batch[] | undefined = prepareBatches();
  const batchCount = batches.length;
  log(`${batchCount} batches prepared (${(batches[0].body.length / 1024).toFixed(0)} KiB each)`);
  let accepted = 0;
  let rejected = 0;
  let sent = 0;
  let clientCpu: number | null = null;
  // The client runs on a worker thread: its own event loop, as a client elsewhere would be, so
  // the service's event loop only serves. (process.cpuUsage counts both threads.) Copying the
  // bodies to it is client set-up, done before the clocks start.
  const client = new Worker(HTTP_CLIENT, {
    eval: true,
    workerData: { url: svcUrl, month: MONTH, batches, concurrency: CONCURRENCY },
  });
  batches = undefined;
  await new Promise<void>((resolve, reject) => {
    client.once('error', reject);
    client.once('message', () => resolve());
  });
  const profiler = process.env.BENCH_CPU_PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  await sql.query('CHECKPOINT');
  const tHttp = Date.now();
  const cpuHttp = process.cpuUsage();
  const serviceCpuAtStart = threadCpuSeconds();
  const pgCpuHttp = postgresCpuTicks();
  await new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on(
      'message',
      (m: {
        sent: number;
        accepted: number;
        rejected: number;
        done?: boolean;
        cpu?: number | null;
        error?: string;
      }) => {
        if (m.error) return reject(new Error(m.error));
        ({ accepted, rejected, sent } = m);
        if (sent % 5 === 0 || sent === batchCount) {
          log(
            `HTTP ${sent}/${batchCount} batches: ${fmt(accepted)} accepted, ${fmt(rejected)} rejected, ${fmt(rate(accepted, Date.now() - tHttp))} accepted cards/s`,
          );
        }
        if (m.done) {
          clientCpu = m.cpu ?? null;
          resolve();
        }
      },
    );
    client.postMessage('go');
  });
  await client.terminate();
  const httpMs = Date.now() - tHttp;
  const serviceCpuAtEnd = threadCpuSeconds();
  const cpu = cpuSummary(
    cpuHttp,
    pgCpuHttp,
    serviceCpuAtStart !== null && serviceCpuAtEnd !== null && clientCpu !== null
      ? { service: serviceCpuAtEnd - serviceCpuAtStart, client: clientCpu }
      : undefined,
  );
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(process.env.BENCH_CPU_PROFILE as string, JSON.stringify(profile));
    profiler.disconnect();
    log(`CPU profile of the HTTP run written to ${process.env.BENCH_CPU_PROFILE}`);
  }
  await checkStoredBatches(sql, rejected);
  return { httpMs, accepted, rejected, cpu };
}

/** The stored batches keep every rejection with its code; their counts must match the responses'. */
async function checkStoredBatches(sql: Client, rejected: number): Promise<void> {
  const outbox = await sql.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE type = 'WarrantyCardsAccepted'`);
  const { rows: codes } = await sql.query(
    `SELECT r->>'code' AS code, count(*)::int AS n FROM warranty_card_batches b CROSS JOIN jsonb_array_elements(b.results) r
     WHERE b.report_month = $1 GROUP BY 1 ORDER BY 2 DESC`,
    [MONTH],
  );
  const storedRejections = codes.reduce((sum: number, c: { n: number }) => sum + c.n, 0);
  if (storedRejections !== rejected)
    throw new Error(`the responses counted ${rejected} rejections, the stored batches ${storedRejections}`);
  log(
    `rejections by code: ${codes.map((c: { code: string; n: number }) => `${c.code} ${fmt(c.n)}`).join(', ')}; ${outbox.rows[0].n} WarrantyCardsAccepted events in the outbox`,
  );
}

const httpLine = (r: HttpRun): string =>
  `${fmt(NEW_CARDS)} cards submitted, ${fmt(r.accepted)} accepted, ${fmt(r.rejected)} rejected in ${(r.httpMs / 1000).toFixed(2)} s → ${fmt(rate(r.accepted, r.httpMs))} accepted cards/s; CPU ${r.cpu.text}`;

async function main(): Promise<void> {
  const t0 = Date.now();
  log(
    `existing cards ${fmt(EXISTING)}, new cards ${fmt(NEW_CARDS)}, batches of ${fmt(BATCH)}, ${CONCURRENCY} concurrent requests`,
  );
  const stack = await startServiceUnderTest('dealers', (c) => DealersAppModule.register(c), 'bench_cards');
  const { svc, sql } = stack;
  log(`fresh database ${stack.db.name}; mock broker ${stack.broker.brokers.join(',')}`);
  try {
    await seedReference(sql);
    // ---- 1,000,000 accepted cards, loaded with INSERT … SELECT generate_series in chunks (progress shown)
    await loadStoredCards(sql, 'existing cards', EXISTING, OLD_CARDS);
    // The COPY comparison's scratch table: same columns and indexes, same 1,000,000 rows.
    log('creating the COPY scratch table with the same indexes and rows …');
    await sql.query(`CREATE TABLE bench_copy_cards (LIKE warranty_cards INCLUDING ALL)`);
    await sql.query(`INSERT INTO bench_copy_cards OVERRIDING SYSTEM VALUE SELECT * FROM warranty_cards`);
    await sql.query(
      `SELECT setval(pg_get_serial_sequence('bench_copy_cards', 'id'), (SELECT max(id) FROM bench_copy_cards))`,
    );
    await sql.query('VACUUM ANALYZE warranty_cards');
    await sql.query('VACUUM ANALYZE bench_copy_cards');
    await sql.query('VACUUM ANALYZE shipped_serials');
    // Background maintenance must not land in one measurement and not the other: autovacuum is
    // off for the two measured tables, and each measurement starts right after a CHECKPOINT.
    await sql.query('ALTER TABLE warranty_cards SET (autovacuum_enabled = false)');
    await sql.query('ALTER TABLE bench_copy_cards SET (autovacuum_enabled = false)');
    log(`setup done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // ---- the HTTP run
    const http = await httpRun(svc.url, sql);
    const { httpMs, accepted, rejected } = http;

    // ---- plain COPY of the same (accepted) rows into the scratch table
    const { rows: acceptedRows } = await sql.query(
      `SELECT batch_id, dealer_code, report_month, serial, model, to_char(sale_date, 'YYYY-MM-DD') AS sale_date, outlet, consumer_name, phone, address, status, flags::text AS flags
       FROM warranty_cards WHERE report_month = $1 AND status = 'ACCEPTED'`,
      [MONTH],
    );
    if (acceptedRows.length !== accepted)
      throw new Error(`the responses counted ${accepted} accepted cards, the database holds ${acceptedRows.length}`);
    const columns = CARD_COLUMNS;
    await sql.query('CHECKPOINT');
    const tCopy = Date.now();
    const cpuCopy = process.cpuUsage();
    const pgCpuCopy = postgresCpuTicks();
    await copyRowsWith(
      sql,
      'bench_copy_cards',
      columns,
      acceptedRows.map((r: Record<string, string>) => columns.map((c) => r[c])),
    );
    const copyMs = Date.now() - tCopy;
    const copyCpu = cpuSummary(cpuCopy, pgCpuCopy);

    const httpRate = rate(accepted, httpMs);
    const copyRate = rate(acceptedRows.length, copyMs);
    log('---------------------------------------------------------------');
    log(
      `HTTP batch endpoint: ${fmt(NEW_CARDS)} cards submitted, ${fmt(accepted)} accepted, ${fmt(rejected)} rejected in ${(httpMs / 1000).toFixed(2)} s`,
    );
    log(
      `  → ${fmt(httpRate)} accepted cards/s (${fmt(rate(NEW_CARDS, httpMs))} submitted cards/s); CPU ${http.cpu.text}`,
    );
    log(
      `plain COPY of the same ${fmt(acceptedRows.length)} rows into a table with the same indexes: ${(copyMs / 1000).toFixed(2)} s`,
    );
    log(`  → ${fmt(copyRate)} rows/s; CPU ${copyCpu.text}`);
    log(`ratio HTTP / COPY = ${(httpRate / copyRate).toFixed(2)} (aim ≥ 0.60)`);
    if (http.cpu.seconds !== null) {
      // Even with every core busy all the time, the HTTP run needs its CPU seconds / cores.
      const cores = availableParallelism();
      const floorMs = (http.cpu.seconds * 1000) / cores;
      log(
        `  the HTTP run used ${http.cpu.seconds.toFixed(2)} CPU s (Node and PostgreSQL, not the broker): on ${cores} cores it takes at least ${(floorMs / 1000).toFixed(2)} s, a ratio of at most ${(copyMs / floorMs).toFixed(2)}`,
      );
    }
  } finally {
    await stack.close();
  }
}

/**
 * --year: the same batches on two fresh databases, one holding only the stored cards the batches
 * repeat (DUPLICATE_SERIAL), the other those and a year of cards before the measured month
 * (12 × BENCH_NEW cards, the same 20 dealers); both runs and their ratio (aim ≤ 1.2×).
 */
async function yearMain(): Promise<void> {
  const repeated = [
    ...new Set(makeNewCards(NEW_CARDS).flatMap((c) => (c.serial.startsWith('OLD-') ? [c.serial] : []))),
  ];
  const year = 12 * NEW_CARDS;
  log(
    `with and without a year of cards (${fmt(year)}) before ${MONTH}: new cards ${fmt(NEW_CARDS)}, batches of ${fmt(BATCH)}, ${CONCURRENCY} concurrent requests`,
  );
  const runs: HttpRun[] = [];
  for (const withYear of [false, true]) {
    const stack = await startServiceUnderTest('dealers', (c) => DealersAppModule.register(c), 'bench_cards');
    try {
      const { sql } = stack;
      log(`fresh database ${stack.db.name} (${withYear ? 'with' : 'without'} a year of cards)`);
      await seedReference(sql);
      const ids = repeated.map((s) => Number(s.slice(4)));
      await sql.query(STORED_CARDS('unnest($1::int[]) WITH ORDINALITY AS u(i, n) WHERE n <= $2'), [
        ids,
        ids.length,
        DEALERS,
        MODELS[1],
        OLD_CARDS.serialPrefix,
        OLD_CARDS.phonePrefix,
        OLD_CARDS.firstDay,
        OLD_CARDS.days,
      ]);
      log(`stored the ${fmt(ids.length)} cards the batches repeat`);
      // 2025-02-01 + 365 days: the twelve months before 2026-02.
      if (withYear)
        await loadStoredCards(sql, 'cards of the year before', year, {
          serialPrefix: 'YR-',
          phonePrefix: '14',
          firstDay: '2025-02-01',
          days: 365,
        });
      await sql.query('VACUUM ANALYZE');
      await sql.query('ALTER TABLE warranty_cards SET (autovacuum_enabled = false)');
      const run = await httpRun(stack.svc.url, sql);
      log(`${withYear ? 'with' : 'without'} a year: ${httpLine(run)}`);
      runs.push(run);
    } finally {
      await stack.close();
    }
  }
  const [without, withYear] = runs;
  log('---------------------------------------------------------------');
  log(`without history: ${httpLine(without)}`);
  log(`with a year of cards (${fmt(year)}): ${httpLine(withYear)}`);
  log(`RESULT year: HTTP time with / without = ${(withYear.httpMs / without.httpMs).toFixed(2)}× (aim ≤ 1.2×)`);
}

(YEAR ? yearMain() : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[bench:cards] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
