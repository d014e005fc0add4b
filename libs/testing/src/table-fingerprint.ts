import type { Client } from 'pg';

/** Per user table: row count and the newest row version's transaction id, as "count/xmin". */
export type TableFingerprint = Map<string, string>;

/**
 * Reads what a write would change in every table of the database's public schema: an insert or
 * delete changes the count, an update the largest xmin. Two equal fingerprints mean no row was
 * committed in between.
 */
export async function tableFingerprint(sql: Client): Promise<TableFingerprint> {
  const tables: Array<{ name: string }> = (
    await sql.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
  ).rows;
  if (tables.length === 0) return new Map();
  const query = tables
    .map(
      (t, i) =>
        `SELECT ${i} AS i, count(*)::text || '/' || coalesce(max(xmin::text::bigint), 0)::text AS f FROM public.${JSON.stringify(t.name)}`,
    )
    .join(' UNION ALL ');
  const rows: Array<{ i: number; f: string }> = (await sql.query(query)).rows;
  return new Map(rows.map((r) => [tables[r.i].name, r.f]));
}

/** The tables whose fingerprint differs, with both values ("table: before → after"). */
export function fingerprintChanges(before: TableFingerprint, after: TableFingerprint): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .filter((n) => before.get(n) !== after.get(n))
    .map((n) => `${n}: ${before.get(n) ?? '-'} → ${after.get(n) ?? '-'}`);
}

/**
 * The fingerprint once the service has stopped writing on its own: no outbox row waits for the
 * relay and two readings `quietMs` apart agree. Background work (the relay marking rows
 * published, consumers applying events) then cannot be mistaken for a request's write.
 */
export async function settledFingerprint(
  sql: Client,
  { quietMs = 150, timeoutMs = 30_000 } = {},
): Promise<TableFingerprint> {
  const deadline = Date.now() + timeoutMs;
  const hasOutbox = (await sql.query(`SELECT to_regclass('public.outbox_messages') IS NOT NULL AS present`)).rows[0]
    .present as boolean;
  let last = await tableFingerprint(sql);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const pending = hasOutbox
      ? Number((await sql.query(`SELECT count(*) AS n FROM outbox_messages WHERE published_at IS NULL`)).rows[0].n)
      : 0;
    const next = await tableFingerprint(sql);
    if (pending === 0 && fingerprintChanges(last, next).length === 0) return next;
    if (Date.now() > deadline)
      throw new Error(`database still changing after ${timeoutMs} ms: ${fingerprintChanges(last, next).join('; ')}`);
    last = next;
  }
}

/**
 * Sends a request that must be refused: its status, a problem whose errors name `field`, and not
 * one row of the service's database written (fingerprints before and after).
 */
export async function expectRefusedWithoutWrites<
  R extends { status: number; headers: Record<string, string>; body: any },
>(sql: Client, send: PromiseLike<R>, status: number, field: string): Promise<R> {
  const before = await settledFingerprint(sql);
  const res = await send;
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  expect(fingerprintChanges(before, await tableFingerprint(sql))).toEqual([]);
  return res;
}
