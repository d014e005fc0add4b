/**
 * npm run bench:simulation — a what-if simulation (POST /v1/simulations) of every dealer over four
 * quarters, beside the four quarterly runs (R-SET-2) of the same dealers and facts measured in the
 * same invocation. The database is seeded as bench:settlement seeds it (bench/settlement.bench.ts):
 * dealers with one agreement, and for each of 2025-Q2 … 2026-Q1 the reports, cards and other facts,
 * then each quarter run to all drafts stored (and, with --history / BENCH_HISTORY=1, approved and
 * posted, so that the simulation compares against frozen statements and chains their openings).
 * The simulation proposes a per-card allowance of 18.00 instead of 15.00 for all of them (a region).
 *
 * Arguments (or environment) as bench:settlement: --dealers=N (BENCH_DEALERS, 10000),
 * --cards=N (BENCH_CARDS, per quarter), --other=N (BENCH_OTHER, per quarter), --batch=N
 * (SETTLEMENT_RUN_BATCH_SIZE; runs and simulations share it). A small try:
 *   BENCH_DEALERS=200 BENCH_CARDS=20000 BENCH_OTHER=2000 npm run bench:simulation
 */
import { addQuarters } from '@app/kernel';
import {
  approveAndPost,
  BATCH,
  CARDS,
  DEALERS,
  fmt,
  loadDealers,
  loadQuarter,
  OTHER,
  QUARTER,
  runQuarter,
  secs,
  startBenchSettlement,
  stopBenchSettlement,
  STARTER,
  TERMS,
  timed,
  warmUp,
} from './settlement.bench';

const HISTORY = process.argv.includes('--history') || process.env.BENCH_HISTORY === '1';
const QUARTERS = [-3, -2, -1, 0].map((d) => addQuarters(QUARTER, d));
const REGION = 'BENCH';
const log = (msg: string) => process.stdout.write(`[bench:simulation] ${msg}\n`);

interface SimulationView {
  id: string;
  status: string;
  dealersDone: number;
  dealersTotal: number;
  errors: unknown[];
  totals: Array<{ quarter: string; dealers: number; dealersChanged: number; difference: string }>;
}

/** Starts the simulation of every dealer over QUARTERS and polls it until it is done; returns it and its time. */
async function simulate(svcUrl: string): Promise<[SimulationView, number]> {
  return timed(
    `simulation of ${fmt(DEALERS)} dealers × ${QUARTERS.length} quarters`,
    async () => {
      const res = await fetch(`${svcUrl}/v1/simulations`, {
        method: 'POST',
        headers: { ...STARTER, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          region: REGION,
          fromQuarter: QUARTERS[0],
          toQuarter: QUARTERS[QUARTERS.length - 1],
          terms: { ...TERMS, unitRate: '18.00' },
        }),
      });
      if (res.status !== 202) throw new Error(`simulation refused: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      let last = -1;
      for (;;) {
        await new Promise((r) => setTimeout(r, 50));
        const sim = (await (
          await fetch(`${svcUrl}/v1/simulations/${id}`, { headers: STARTER })
        ).json()) as SimulationView;
        if (sim.dealersDone !== last && sim.dealersDone % 5000 < 1000)
          log(`  simulation ${fmt(sim.dealersDone)} / ${fmt(sim.dealersTotal)} dealers`);
        last = sim.dealersDone;
        if (sim.status !== 'RUNNING') {
          if (sim.status !== 'DONE' || sim.errors.length > 0)
            throw new Error(`simulation ended ${sim.status}: ${JSON.stringify(sim.errors.slice(0, 3))}`);
          return sim;
        }
      }
    },
    log,
  );
}

async function main(): Promise<void> {
  log(
    `${fmt(DEALERS)} dealers; ${fmt(CARDS)} cards and ${fmt(OTHER)} other facts in each of ${QUARTERS.join(', ')}; batches of ${fmt(BATCH)} dealers${HISTORY ? '; each quarter approved and posted' : ''}`,
  );
  const { broker, db, svc, sql } = await startBenchSettlement('bench_simulation');
  try {
    log(`fresh database ${db.name}`);
    await loadDealers(sql, QUARTERS[0]);
    await sql.query(`UPDATE known_dealers SET region = $1`, [REGION]);
    let runsMs = 0;
    for (const quarter of QUARTERS) {
      await loadQuarter(sql, quarter);
      if (quarter === QUARTERS[0]) await warmUp(svc.url, sql, quarter);
      runsMs += await runQuarter(svc.url, quarter);
      if (HISTORY) await approveAndPost(svc.url, sql, quarter);
    }
    const [sim, simMs] = await simulate(svc.url);
    for (const t of sim.totals)
      log(`  ${t.quarter}: ${fmt(t.dealers)} dealers, ${fmt(t.dealersChanged)} changed, Σ difference ${t.difference}`);
    log(
      `RESULT simulation ${fmt(DEALERS)} dealers × ${QUARTERS.length} quarters ${secs(simMs)} · the ${QUARTERS.length} quarterly runs ${secs(runsMs)} · ratio ${(simMs / runsMs).toFixed(2)}×`,
    );
  } finally {
    await stopBenchSettlement({ broker, db, svc, sql });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
