/**
 * npm run bench:settlement — the quarterly run (R-SET-2) for every dealer, to all drafts stored,
 * on a fresh settlement database whose projection tables are loaded straight with
 * INSERT … SELECT generate_series; compared in the same run with one SQL aggregate over the same facts.
 *
 * Arguments (or environment): --dealers=N (BENCH_DEALERS, 10000), --cards=N (BENCH_CARDS, 5000000),
 * --other=N (BENCH_OTHER, 200000: half complaints, half requisition lines), --batch=N (SETTLEMENT_RUN_BATCH_SIZE, 1000).
 * TEST_DATABASE_ADMIN_URL as for the tests. The database is dropped at the end (BENCH_KEEP=1 keeps it).
 *
 * --history (BENCH_HISTORY=1): cost with a history. The measured quarter becomes the fourth of
 * four quarters of the same size (2025-Q2 … 2026-Q1), each loaded, run, and then approved and
 * posted through the API (BENCH_HISTORY_CONCURRENCY requests at a time, 8) as finance would
 * before the next one is loaded. The first quarter's run (empty history) and the fourth's (three
 * approved and posted quarters behind it) are measured in the same invocation, both on a warm
 * service, and printed side by side with their ratio (aim ≤ 1.2×).
 */
import { Client } from 'pg';
import { addQuarters, monthsOfQuarter } from '@app/kernel';
import { agreementTerms, createTestDatabase, startMockBroker, startTestService, testToken } from '@app/testing';
import { SettlementAppModule } from '../apps/settlement/src/settlement-app.module';

const arg = (name: string, env: string, dflt: number): number => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return Number(a ? a.split('=')[1] : (process.env[env] ?? dflt));
};
export const DEALERS = arg('dealers', 'BENCH_DEALERS', 10_000);
export const CARDS = arg('cards', 'BENCH_CARDS', 5_000_000);
export const OTHER = arg('other', 'BENCH_OTHER', 200_000);
export const BATCH = arg('batch', 'SETTLEMENT_RUN_BATCH_SIZE', 1000);
const HISTORY = process.argv.includes('--history') || process.env.BENCH_HISTORY === '1';
const HISTORY_CONCURRENCY = arg('history-concurrency', 'BENCH_HISTORY_CONCURRENCY', 8);

export const QUARTER = '2026-Q1';
const MONTHS = monthsOfQuarter(QUARTER);
/** With --history: three earlier quarters, oldest first, then the measured one. */
const QUARTERS = HISTORY ? [-3, -2, -1, 0].map((d) => addQuarters(QUARTER, d)) : [QUARTER];
/** Tags keep the history's serials, batch ids and references apart from the measured quarter's (whose stay as before). */
const tagOf = (quarter: string) => (quarter === QUARTER ? '' : `${quarter}-`);
const log = (msg: string) => process.stdout.write(`[bench:settlement] ${msg}\n`);
export const fmt = (n: number) => n.toLocaleString('en-US');
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export const TERMS = agreementTerms({
  modelRates: [{ model: 'EB-200', rate: '20.00' }],
  missedReportPenaltyPercent: '10',
  excellenceAwardPercent: '50',
});

export async function timed<T>(
  label: string,
  fn: () => Promise<T>,
  print: (msg: string) => void = log,
): Promise<[T, number]> {
  const t = Date.now();
  const out = await fn();
  const ms = Date.now() - t;
  print(`${label}: ${secs(ms)}`);
  return [out, ms];
}

const dealer = (expr: string) => `'B' || lpad((${expr})::text, 5, '0')`;

/** Dealers and their agreements (in force from the first loaded quarter), once. */
export async function loadDealers(sql: Client, firstQuarter: string = QUARTERS[0]): Promise<void> {
  await timed(`dealers and agreements (${fmt(DEALERS)})`, async () => {
    await sql.query(
      `INSERT INTO known_dealers (code, name, region, status, source_event_id)
      SELECT ${dealer('i')}, 'Dealer ' || i, NULL, 'ACTIVE', gen_random_uuid() FROM generate_series(0, $1 - 1) i`,
      [DEALERS],
    );
    await sql.query(
      `INSERT INTO known_agreements (dealer_code, version, effective_from, terms, source_event_id)
      SELECT code, 1, ($2 || '-01')::date, $1::jsonb, gen_random_uuid() FROM known_dealers`,
      [JSON.stringify(TERMS), monthsOfQuarter(firstQuarter)[0]],
    );
  });
}

/** One quarter's reports, cards and other facts, as the projections would have stored them. */
export async function loadQuarter(sql: Client, quarter: string): Promise<void> {
  const months = monthsOfQuarter(quarter);
  const tag = tagOf(quarter);
  await timed(`${quarter} monthly reports (${fmt(DEALERS * 3)})`, () =>
    sql.query(
      `INSERT INTO report_submissions (dealer_code, month, first_submitted_at, due_at, on_time, units_sold, surveyed, satisfied, repairs, callbacks,
        callbacks_below_minimum, last_occurred_at, source_event_id)
      SELECT d.code, m, (m || '-01')::date + interval '1 month', (m || '-01')::date + interval '1 month 2 days 16 hours', true, 100, 10, 10, 4, 1, false, now(), gen_random_uuid()
      FROM known_dealers d CROSS JOIN unnest($1::text[]) m`,
      [months],
    ),
  );
  const chunk = 500_000;
  const eventId = '00000000-0000-4000-8000-000000000000';
  await timed(`${quarter} cards (${fmt(CARDS)})`, async () => {
    for (let from = 0; from < CARDS; from += chunk) {
      const to = Math.min(CARDS, from + chunk) - 1;
      // Card g belongs to dealer g % DEALERS, month (g / DEALERS) % 3, model (g / (3 × DEALERS)) % 4.
      await sql.query(
        `INSERT INTO card_facts (batch_id, serial, dealer_code, report_month, model, sale_date, source_event_id)
         SELECT md5('b' || $6 || (g % $3) || '-' || ((g / $3) % 3))::uuid, 'S' || $6 || g, ${dealer('g % $3')},
                ($5::text[])[1 + (g / $3) % 3], (ARRAY['EB-100','EB-200','EB-300','EB-500'])[1 + (g / ($3 * 3)) % 4],
                (($5::text[])[1 + (g / $3) % 3] || '-05')::date, $4::uuid
         FROM generate_series($1::bigint, $2::bigint) g`,
        [from, to, DEALERS, eventId, months, tag],
      );
      log(`  cards ${fmt(to + 1)} / ${fmt(CARDS)}`);
    }
  });
  await timed(`${quarter} other facts (${fmt(OTHER)}: complaints and requisition lines)`, async () => {
    const complaints = Math.floor(OTHER / 2);
    await sql.query(
      `INSERT INTO complaint_facts (id, dealer_code, reference, date, month, amount, description, source_event_id)
       SELECT gen_random_uuid(), ${dealer('g % $2')}, 'C-' || $5 || g, (($4::text[])[1 + g % 3] || '-10')::date, ($4::text[])[1 + g % 3], 1000.00, 'complaint', $3::uuid
       FROM generate_series(0, $1 - 1) g`,
      [complaints, DEALERS, eventId, months, tag],
    );
    await sql.query(
      `INSERT INTO requisition_line_facts (requisition_id, line_id, dealer_code, approved_on, month, part_no, part_name, purpose, quantity, list_price, cost_price, amount, charge_to, source_event_id)
       SELECT md5('r' || $5 || g)::uuid, '1', ${dealer('g % $2')}, (($4::text[])[1 + g % 3] || '-12')::date, ($4::text[])[1 + g % 3], 'BP-01', 'brake pad', 'WARRANTY',
              2, 12.50, 8.00, 25.00, 'ALLOWANCE', $3::uuid
       FROM generate_series(0, $1 - 1) g`,
      [OTHER - complaints, DEALERS, eventId, months, tag],
    );
  });
  // What autovacuum would do after a bulk load: statistics and the visibility map (index-only scans).
  await timed('VACUUM ANALYZE', () => sql.query('VACUUM ANALYZE'));
}

/** One SQL aggregate over the same facts: accrual per dealer, month and model rate, minus penalties and parts, per dealer. */
const AGGREGATE = `
  WITH cards AS (
    SELECT c.dealer_code, sum(CASE WHEN c.model = 'EB-200' THEN 20.00 ELSE 15.00 END) AS accrual
    FROM card_facts c WHERE c.report_month = ANY($1) AND c.withdrawn_at IS NULL GROUP BY c.dealer_code
  ), complaints AS (
    SELECT dealer_code, sum(amount) AS amount FROM complaint_facts WHERE month = ANY($1) GROUP BY dealer_code
  ), parts AS (
    SELECT dealer_code, sum(amount) AS amount FROM requisition_line_facts WHERE month = ANY($1) AND charge_to = 'ALLOWANCE' GROUP BY dealer_code
  )
  SELECT count(*) AS dealers, sum(coalesce(cards.accrual, 0) - coalesce(complaints.amount, 0) - coalesce(parts.amount, 0)) AS net
  FROM known_dealers d LEFT JOIN cards ON cards.dealer_code = d.code LEFT JOIN complaints ON complaints.dealer_code = d.code
  LEFT JOIN parts ON parts.dealer_code = d.code`;

const headers = (sub: string) => ({ Authorization: `Bearer ${testToken('finance', undefined, sub)}` });
export const STARTER = headers('bench-finance');
// R-SET-8: a statement is approved by someone other than the finance user whose run computed it.
const APPROVER = headers('bench-approver');

/** Starts the quarter's run and polls it until every draft is stored; returns its time. */
export async function runQuarter(svcUrl: string, quarter: string): Promise<number> {
  const [, ms] = await timed(`${quarter} run to all drafts stored`, async () => {
    const res = await fetch(`${svcUrl}/v1/settlements/${quarter}/runs`, { method: 'POST', headers: STARTER });
    if (res.status !== 202) throw new Error(`run refused: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    let last = -1;
    for (;;) {
      // Polled often enough that the measured time is the run's, not the wait for the next poll.
      await new Promise((r) => setTimeout(r, 50));
      const run = (await (
        await fetch(`${svcUrl}/v1/settlements/${quarter}/runs/${id}`, { headers: STARTER })
      ).json()) as { status: string; dealersDone: number; dealersTotal: number; errors: unknown[] };
      if (run.dealersDone !== last && run.dealersDone % 5000 < 1000)
        log(`  run ${fmt(run.dealersDone)} / ${fmt(run.dealersTotal)} dealers`);
      last = run.dealersDone;
      if (run.status !== 'RUNNING') {
        if (run.status !== 'DONE' || run.errors.length > 0)
          throw new Error(`run ended ${run.status}: ${JSON.stringify(run.errors.slice(0, 3))}`);
        return run;
      }
    }
  });
  return ms;
}

/**
 * The first run of a fresh service also pays for its warm-up (JIT, connections), the later ones do
 * not: with --history the first quarter is run once unmeasured and its drafts deleted, so the
 * measured runs with and without a history both meet a warm service and store new drafts.
 */
export async function warmUp(svcUrl: string, sql: Client, quarter: string): Promise<void> {
  log(`warm-up: ${quarter} run once, unmeasured, then its drafts deleted`);
  await runQuarter(svcUrl, quarter);
  // The statement history is append-only (triggers refuse deletes); the benchmark owns its
  // database and removes the warm-up's drafts as a superuser, with the triggers set aside.
  await sql.query(`SET session_replication_role = replica`);
  await sql.query(
    `DELETE FROM statement_status_history h USING statements s WHERE s.id = h.statement_id AND s.quarter = $1`,
    [quarter],
  );
  await sql.query(`DELETE FROM statement_lines l USING statements s WHERE s.id = l.statement_id AND s.quarter = $1`, [
    quarter,
  ]);
  await sql.query(`DELETE FROM statements WHERE quarter = $1`, [quarter]);
  await sql.query(`RESET session_replication_role`);
  await sql.query('VACUUM ANALYZE statements, statement_lines');
}

/** Every draft of the quarter approved, then posted, through the API, a few requests at a time (history only). */
export async function approveAndPost(svcUrl: string, sql: Client, quarter: string): Promise<void> {
  const { rows } = await sql.query(`SELECT id FROM statements WHERE quarter = $1 ORDER BY dealer_code`, [quarter]);
  const ids = rows.map((r: { id: string }) => r.id);
  for (const step of ['approve', 'post']) {
    await timed(`${quarter} ${fmt(ids.length)} statements ${step === 'approve' ? 'approved' : 'posted'}`, async () => {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < ids.length) {
          const id = ids[next++];
          const res = await fetch(`${svcUrl}/v1/statements/${id}/${step}`, { method: 'POST', headers: APPROVER });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`${step} ${id}: ${res.status} ${text}`);
        }
      };
      await Promise.all(Array.from({ length: HISTORY_CONCURRENCY }, worker));
    });
  }
}

/** The settlement service of a benchmark: a fresh database, the mock broker, runs in batches of BATCH. */
export async function startBenchSettlement(dbPrefix: string) {
  const broker = await startMockBroker();
  const db = await createTestDatabase(dbPrefix);
  const svc = await startTestService('settlement', (c) => SettlementAppModule.register(c), {
    databaseUrl: db.url,
    brokers: broker.brokers,
    extra: { SETTLEMENT_RUN_BATCH_SIZE: String(BATCH) },
  });
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  return { broker, db, svc, sql };
}

/** Stops what startBenchSettlement started; the database stays with BENCH_KEEP=1. */
export async function stopBenchSettlement(b: Awaited<ReturnType<typeof startBenchSettlement>>): Promise<void> {
  await b.sql.end();
  await b.svc.close();
  await b.broker.stop();
  if (process.env.BENCH_KEEP !== '1') await b.db.drop();
}

async function main(): Promise<void> {
  log(
    `${fmt(DEALERS)} dealers, ${fmt(CARDS)} cards, ${fmt(OTHER)} other facts in ${QUARTERS.length === 1 ? QUARTER : `each of ${QUARTERS.join(', ')}`}; run batches of ${fmt(BATCH)} dealers`,
  );
  const { broker, db, svc, sql } = await startBenchSettlement('bench_settlement');
  try {
    log(`fresh database ${db.name}`);
    await loadDealers(sql);
    const runMs = new Map<string, number>();
    let agg: { dealers: string; net: string } = { dealers: '0', net: '0' };
    let aggMs = 0;
    for (const quarter of QUARTERS) {
      await loadQuarter(sql, quarter);
      if (quarter === QUARTER) {
        [agg, aggMs] = await timed(
          'SQL aggregate over the same facts',
          async () => (await sql.query(AGGREGATE, [MONTHS])).rows[0],
        );
        log(`  aggregate: ${fmt(Number(agg.dealers))} dealers, net ${agg.net}`);
      }
      if (HISTORY && quarter === QUARTERS[0]) await warmUp(svc.url, sql, quarter);
      runMs.set(quarter, await runQuarter(svc.url, quarter));
      if (quarter !== QUARTER) await approveAndPost(svc.url, sql, quarter);
    }
    const { rows } = await sql.query(
      `SELECT count(*)::int AS statements, (SELECT count(*)::int FROM statement_lines l JOIN statements s ON s.id = l.statement_id WHERE s.quarter = $1) AS lines,
              sum(closing)::text AS closing FROM statements WHERE quarter = $1`,
      [QUARTER],
    );
    log(
      `  stored ${fmt(rows[0].statements)} drafts with ${fmt(rows[0].lines)} lines; Σ closing ${rows[0].closing} (aggregate net ${agg.net}${HISTORY ? '; the closings include the openings carried from the history' : ''})`,
    );
    const measured = runMs.get(QUARTER) as number;
    log(
      `RESULT run ${secs(measured)} · aggregate ${secs(aggMs)} · ratio ${(measured / aggMs).toFixed(1)}× (aim ≤ 10×)`,
    );
    if (HISTORY) {
      const first = runMs.get(QUARTERS[0]) as number;
      log(`  runs by quarter: ${QUARTERS.map((q) => `${q} ${secs(runMs.get(q) as number)}`).join(', ')}`);
      log(
        `RESULT history: run without history (${QUARTERS[0]}, empty database) ${secs(first)} · with three quarters approved and posted (${QUARTER}) ${secs(measured)} · ratio ${(measured / first).toFixed(2)}× (aim ≤ 1.2×)`,
      );
    }
  } finally {
    await stopBenchSettlement({ broker, db, svc, sql });
  }
}

// Run as a script (npm run bench:settlement), not when bench/simulation.bench.ts borrows its seeding.
if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
