import type { DataSource } from 'typeorm';

/** Advisory-lock class of scheduled jobs (two-key form, apart from the one-key locks of the code). */
const JOB_LOCK_CLASS = 0x4a4f4253; // "JOBS"

/**
 * Runs `work` unless another process on the same database is running the job `name`: a session
 * advisory lock taken with a try on a connection of its own and held for the run. A holder that
 * dies ends its session, which frees the lock. Answers whether the work ran.
 */
export async function runAlone(dataSource: DataSource, name: string, work: () => Promise<unknown>): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`, [
      JOB_LOCK_CLASS,
      name,
    ]);
    if (!locked) return false;
    try {
      await work();
    } finally {
      // On a connection that was lost the lock went with its session.
      await runner.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [JOB_LOCK_CLASS, name]).catch(() => undefined);
    }
    return true;
  } finally {
    await runner.release();
  }
}
