import { ClientBase } from 'pg';
import { EntityManager } from 'typeorm';

/**
 * Runs `text` as the named prepared statement `name` on the connection of the caller's
 * transaction. PostgreSQL parses a named statement once per connection and, after its first five
 * runs there, keeps a generic plan (at once under `SET LOCAL plan_cache_mode =
 * force_generic_plan`); planning an unnamed statement anew estimates every element of a
 * `= ANY($1)` array, which for a lookup of thousands of keys costs more than running it. Outside
 * a transaction the query runs unnamed. `name` must stay bound to one `text` in the process:
 * node-postgres refuses a name prepared on a connection with other text.
 */
export async function preparedQuery<T>(
  em: EntityManager,
  name: string,
  text: string,
  values: ReadonlyArray<unknown>,
): Promise<T[]> {
  const runner = em.queryRunner;
  if (!runner?.isTransactionActive) return em.query(text, [...values]);
  const client = (await runner.connect()) as ClientBase;
  const result = await client.query<T & object>({ name, text, values: [...values] });
  return result.rows;
}
