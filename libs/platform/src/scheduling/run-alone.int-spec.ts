import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@app/testing';
import { IntervalJob } from './interval-job';
import { runAlone } from './run-alone';

/** Two instances of a service: two processes' pools on one database, each with the same job. */
describe('IntervalJob across instances (real PostgreSQL)', () => {
  let db: TestDatabase;
  let first: DataSource;
  let second: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('run_alone');
    first = await new DataSource({ type: 'postgres', url: db.url, poolSize: 2 }).initialize();
    second = await new DataSource({ type: 'postgres', url: db.url, poolSize: 2 }).initialize();
  });

  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
    await db?.drop();
  });

  const jobOn = (ds: DataSource, work: () => Promise<unknown>) =>
    new IntervalJob('tally check', null, work, (run) => runAlone(ds, 'tally check', run));

  it('runs the job on one instance at a time, and on the other once the first is done', async () => {
    let release!: () => void;
    const runs: string[] = [];
    const a = jobOn(first, () => {
      runs.push('a');
      return new Promise<void>((resolve) => (release = resolve));
    });
    const b = jobOn(second, async () => void runs.push('b'));
    const running = a.tick();
    await until(() => runs.length === 1);
    await b.tick();
    expect(runs).toEqual(['a']);
    release();
    await running;
    await b.tick();
    expect(runs).toEqual(['a', 'b']);
  });

  it('an instance whose database session died while it held the job frees it for the other', async () => {
    const runs: string[] = [];
    const b = jobOn(second, async () => void runs.push('b'));
    const a = jobOn(first, async () => {
      runs.push('a');
      await b.tick(); // refused: a holds the job
      const [{ pid }] = await first.query(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      // The holder's connection is cut (a crash, a network loss) while its run goes on.
      await second.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await until(
        async () => (await second.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid])).length === 0,
      );
      await b.tick(); // taken: the lock went with the session
      runs.push('a done');
    });
    await a.tick();
    expect(runs).toEqual(['a', 'b', 'a done']);
  });

  it('a job that another instance holds is skipped, not queued', async () => {
    const runner = first.createQueryRunner();
    await runner.connect();
    await runner.query(`SELECT pg_advisory_lock($1, hashtext('tally check'))`, [0x4a4f4253]);
    let ran = false;
    expect(await runAlone(second, 'tally check', async () => void (ran = true))).toBe(false);
    expect(ran).toBe(false);
    await runner.query(`SELECT pg_advisory_unlock($1, hashtext('tally check'))`, [0x4a4f4253]);
    await runner.release();
    expect(await runAlone(second, 'tally check', async () => void (ran = true))).toBe(true);
    expect(ran).toBe(true);
  });
});

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met in 2 s');
}
