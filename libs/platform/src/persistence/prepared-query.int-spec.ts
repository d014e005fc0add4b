import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@app/testing';
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

  it('outside a transaction runs the same query unnamed', async () => {
    const rows = await preparedQuery<{ code: string }>(ds.manager, 'items-lookup-outside', LOOKUP, ['{C3}']);
    expect(rows.map((r) => r.code)).toEqual(['C3']);
    const prepared: unknown[] = await ds.query(
      `SELECT name FROM pg_prepared_statements WHERE name = 'items-lookup-outside'`,
    );
    expect(prepared).toEqual([]);
  });
});
