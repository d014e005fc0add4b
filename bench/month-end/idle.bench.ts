/**
 * npm run bench:idle — CPU the idle stack burns: after a settling pause, the CPU seconds each
 * service, the broker and PostgreSQL use over BENCH_IDLE_SECONDS (60) with no request and no
 * event. Reference: 0 (nothing to do). Aim: at most 0.5 % of a core per service.
 */
import { cpuMeter } from './proc-cpu';
import { printTable, Row } from './report';
import { seedDealers } from './seed';
import { log, SERVICES, withStack } from './stack';

const SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const SETTLE_SECONDS = Number(process.env.BENCH_IDLE_SETTLE_SECONDS ?? 15);

async function main(): Promise<void> {
  const rows: Row[] = [];
  await withStack(async (pids) => {
    // A stack that has carried events (a dealer registered) idles as in production, not as freshly started.
    await seedDealers(1);
    log('idle', `settling ${SETTLE_SECONDS} s, then measuring ${SECONDS} s of idle`);
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
    const meter = cpuMeter(pids);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const used = meter();
    for (const name of [...SERVICES, 'broker', 'postgres']) {
      const percent = (used[name] / SECONDS) * 100;
      rows.push({
        work: `${name} idle`,
        measured: `${percent.toFixed(2)} % of a core (${used[name].toFixed(2)} CPU s in ${SECONDS} s)`,
        reference: '0 % (no work)',
        aim: SERVICES.includes(name as never) ? '≤ 0.5 %' : '',
      });
    }
  });
  printTable('idle', rows);
}

main().catch((err) => {
  process.stderr.write(`[bench:idle] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
