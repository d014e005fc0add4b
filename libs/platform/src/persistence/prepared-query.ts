import type { ClientBase, PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { StalePreparedStatementError } from './database-errors';
import { poolOf } from './pool-of';

/** Per connection, the names under which a statement refused as stale is prepared again. */
const renamed = new WeakMap<object, Map<string, string>>();

/**
 * Runs `text` as the named prepared statement `name`: on the connection of the caller's
 * transaction, or, outside one, on a connection of the data source's pool. PostgreSQL parses a
 * named statement once per connection and, after its first five runs there, keeps a generic plan
 * when it is no dearer (at once under `SET LOCAL plan_cache_mode = force_generic_plan`). An
 * unnamed statement is parsed and planned at every run: for a read of a few rows that is most of
 * its cost, and planning a `= ANY($1)` array of thousands of keys estimates every element.
 *
 * `name` must stay bound to one `text` in the process (node-postgres refuses a name prepared on a
 * connection with other text), and a text should be run under one name: a statement that serves
 * both one key and thousands deserves a name for each, so that each keeps the plan its shape needs.
 *
 * A table whose columns change while connections hold a `SELECT *` statement makes PostgreSQL
 * refuse it ("cached plan must not change result type", a rolling upgrade's migration). Outside a
 * transaction that connection is closed and the query run again unnamed. Inside one the
 * transaction has failed: the caller gets a StalePreparedStatementError (a 503 to retry), and that
 * connection prepares the statement afresh under another name next time.
 */
export async function preparedQuery<T>(
  em: EntityManager,
  name: string,
  text: string,
  values: ReadonlyArray<unknown>,
): Promise<T[]> {
  const runner = em.queryRunner;
  if (runner?.isTransactionActive) {
    const client = (await runner.connect()) as ClientBase;
    const current = renamed.get(client)?.get(name) ?? name;
    try {
      return (await client.query<T & object>({ name: current, text, values: [...values] })).rows;
    } catch (err) {
      if (!isStalePlan(err)) throw err;
      const names = renamed.get(client) ?? new Map<string, string>();
      names.set(name, `${name}~${names.size + 1}`);
      renamed.set(client, names);
      throw new StalePreparedStatementError(err);
    }
  }
  const client: PoolClient = await poolOf(em.connection).connect();
  let stale: Error | undefined;
  try {
    return (await client.query<T & object>({ name, text, values: [...values] })).rows;
  } catch (err) {
    if (!isStalePlan(err)) throw err;
    stale = err as Error;
  } finally {
    // A truthy argument closes the connection instead of returning it to the pool.
    client.release(stale);
  }
  return em.query(text, [...values]);
}

/** SQLSTATE 0A000 with this message: the statement's result columns changed since it was prepared. */
function isStalePlan(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change');
}
