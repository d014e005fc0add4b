import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@app/testing';
import { isDatabaseUnavailable, StalePreparedStatementError } from './database-errors';
import { preparedQuery } from './prepared-query';

const LOOKUP = 'SELECT code FROM items WHERE code = ANY($1::text[]) ORDER BY code';

describe('preparedQuery (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('prepared_query');
    ds = await new DataSource({ type: 'postgres', url: db.url, poolSize: 1 }).initialize();
    await ds.query(`CREATE TABLE items (code text PRIMARY KEY)`);
    await ds.query(`INSERT INTO items SELECT 'C' || i FROM generate_series(1, 100) i`);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('runs in the transaction as a statement prepared once on its connection, with the values of each call', async () => {
    const answers = await ds.transaction(async (em) => {
      const first = await preparedQuery<{ code: string }>(em, 'items-lookup', LOOKUP, ['{C1,C2,NOPE}']);
      const second = await preparedQuery<{ code: string }>(em, 'items-lookup', LOOKUP, ['{C50}']);
      const prepared: Array<{ name: string }> = await em.query(
        `SELECT name FROM pg_prepared_statements WHERE statement = $1`,
        [LOOKUP],
      );
      // Sees the transaction's own uncommitted rows: it runs on the transaction's connection.
      await em.query(`INSERT INTO items VALUES ('FRESH')`);
      const own = await preparedQuery<{ code: string }>(em, 'items-lookup', LOOKUP, ['{FRESH}']);
      return { first, second, prepared, own };
    });
    expect(answers.first.map((r) => r.code)).toEqual(['C1', 'C2']);
    expect(answers.second.map((r) => r.code)).toEqual(['C50']);
    expect(answers.prepared.map((p) => p.name)).toEqual(['items-lookup']);
    expect(answers.own.map((r) => r.code)).toEqual(['FRESH']);
  });

  it('outside a transaction prepares it on the pool connection it runs on, once per connection', async () => {
    const name = 'items-lookup-outside';
    const first = await preparedQuery<{ code: string }>(ds.manager, name, LOOKUP, ['{C3}']);
    const second = await preparedQuery<{ code: string }>(ds.manager, name, LOOKUP, ['{C4,C5}']);
    expect(first.map((r) => r.code)).toEqual(['C3']);
    expect(second.map((r) => r.code)).toEqual(['C4', 'C5']);
    // The pool has one connection: the statement prepared by the first call serves the second.
    const prepared: Array<{ name: string }> = await ds.query(
      `SELECT name FROM pg_prepared_statements WHERE name = $1`,
      [name],
    );
    expect(prepared.map((p) => p.name)).toEqual([name]);
  });

  it('a table whose columns changed under a prepared SELECT * is read again, not refused', async () => {
    await ds.query(`CREATE TABLE widgets (code text PRIMARY KEY)`);
    await ds.query(`INSERT INTO widgets VALUES ('W1')`);
    const all = 'SELECT * FROM widgets ORDER BY code';
    expect(await preparedQuery(ds.manager, 'widgets-all', all, [])).toEqual([{ code: 'W1' }]);
    const pid = async () => ((await ds.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>)[0].pid;
    const before = await pid();
    // What a rolling upgrade's migration does while this process keeps its connections.
    await ds.query(`ALTER TABLE widgets ADD COLUMN colour text NOT NULL DEFAULT 'red'`);
    expect(await preparedQuery(ds.manager, 'widgets-all', all, [])).toEqual([{ code: 'W1', colour: 'red' }]);
    // The refused connection was closed; the next call prepares the new shape on a fresh one.
    expect(await pid()).not.toBe(before);
    expect(await preparedQuery(ds.manager, 'widgets-all', all, [])).toEqual([{ code: 'W1', colour: 'red' }]);
  });

  it('in a transaction a stale statement fails as retryable, and the retry prepares it afresh', async () => {
    await ds.query(`CREATE TABLE gadgets (code text PRIMARY KEY)`);
    await ds.query(`INSERT INTO gadgets VALUES ('G1')`);
    const all = 'SELECT * FROM gadgets ORDER BY code';
    const read = () => ds.transaction((em) => preparedQuery(em, 'gadgets-all', all, []));
    expect(await read()).toEqual([{ code: 'G1' }]);
    await ds.query(`ALTER TABLE gadgets ADD COLUMN size int NOT NULL DEFAULT 3`);
    const refused = await read().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(StalePreparedStatementError);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    // The same (only) connection of the pool: prepared again under another name.
    expect(await read()).toEqual([{ code: 'G1', size: 3 }]);
    expect(await read()).toEqual([{ code: 'G1', size: 3 }]);
  });
});
