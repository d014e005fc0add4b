import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of processes from Linux /proc, for "CPU per request by process". */

const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc/<pid>/stat line, in clock ticks (the name in parentheses may hold spaces). */
function statCpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU seconds a process used so far (0 once it is gone). */
export function processCpuSeconds(pid: number): number {
  try {
    return statCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by each PostgreSQL process, by pid (backends come and go). */
function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes('(postgres)')) ticks.set(pid, statCpuTicks(stat));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks;
}

/** A CPU meter over named processes plus PostgreSQL as a whole: start, do the work, read the seconds each used. */
export function cpuMeter(pids: Record<string, number>): () => Record<string, number> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)]));
  const pgBefore = postgresTicks();
  return () => {
    const used: Record<string, number> = {};
    for (const [name, pid] of Object.entries(pids)) used[name] = processCpuSeconds(pid) - before[name];
    let pg = 0;
    for (const [pid, ticks] of postgresTicks()) pg += ticks - (pgBefore.get(pid) ?? 0);
    used.postgres = pg / TICKS_PER_SECOND;
    return used;
  };
}
