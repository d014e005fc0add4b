import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { poolOf } from '../persistence/pool-of';

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

/** A job lock held on a pooled connection of its own until `release`. */
export interface HeldJobLock {
  release(): Promise<void>;
}

/**
 * Takes the job lock `name` (waiting for it) on a pool connection kept for the job's length, for
 * work that outlives the request that started it. A holder that dies frees it with its session.
 */
export async function holdJobLock(dataSource: DataSource, name: string): Promise<HeldJobLock> {
  // The pool itself, not a query runner: a request's transaction may be routing those.
  const client: PoolClient = await poolOf(dataSource).connect();
  try {
    await client.query(`SELECT pg_advisory_lock($1, hashtext($2))`, [JOB_LOCK_CLASS, name]);
  } catch (err) {
    client.release(true);
    throw err;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      const unlocked = await client
        .query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [JOB_LOCK_CLASS, name])
        .then(() => true)
        .catch(() => false);
      // A connection that could not give the lock back is closed, which gives it back.
      client.release(!unlocked);
    },
  };
}

/**
 * Whether a live session holds the job lock `name`. Tried in the caller's transaction: when free
 * it stays taken until that transaction ends, so nobody takes it up meanwhile.
 */
export async function jobLockHeld(em: EntityManager, name: string): Promise<boolean> {
  const [{ free }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS free`, [
    JOB_LOCK_CLASS,
    name,
  ]);
  return !free;
}
