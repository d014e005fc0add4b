import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@app/testing';
import { copyRows } from './copy-rows';

describe('copyRows (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('copy_rows');
    ds = await new DataSource({ type: 'postgres', url: db.url }).initialize();
    await ds.query(
      `CREATE TABLE items (id int GENERATED ALWAYS AS IDENTITY, code text UNIQUE NOT NULL, note text, tags text[] NOT NULL DEFAULT '{}')`,
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('stores every value as given: tabs, newlines, backslashes, quotes, CJK, empty text and NULL', async () => {
    const notes = [
      'tab\there',
      'line\nbreak',
      'carriage\rreturn',
      'back\\slash',
      '"quoted"',
      '浙江省杭州市',
      '',
      null,
      '\\N',
      'x'.repeat(300_000),
    ];
    await ds.transaction((em) =>
      copyRows(
        em,
        'items',
        ['code', 'note', 'tags'],
        notes.map((note, i) => [`C${i}`, note, '{A,B}']),
      ),
    );
    const rows: Array<{ code: string; note: string | null; tags: string[] }> = await ds.query(
      'SELECT code, note, tags FROM items ORDER BY id',
    );
    expect(rows.map((r) => r.note)).toEqual(notes);
    expect(rows.every((r) => r.tags.join() === 'A,B')).toBe(true);
  });

  it('fails as a whole on a constraint violation, and a savepoint lets the transaction go on', async () => {
    const outcome = await ds.transaction(async (em) => {
      await em.query('SAVEPOINT before_copy');
      const error = await copyRows(em, 'items', ['code'], [['NEW-1'], ['C0'], ['NEW-2']]).then(
        () => null,
        (err: { code?: string }) => err,
      );
      await em.query('ROLLBACK TO SAVEPOINT before_copy');
      await em.query(`INSERT INTO items (code) VALUES ('AFTER')`);
      return error?.code;
    });
    expect(outcome).toBe('23505');
    const { length } = await ds.query(`SELECT 1 FROM items WHERE code IN ('NEW-1', 'NEW-2')`);
    expect(length).toBe(0);
    expect(await ds.query(`SELECT code FROM items WHERE code = 'AFTER'`)).toEqual([{ code: 'AFTER' }]);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(copyRows(ds.manager, 'items', ['code'], [['OUTSIDE']])).rejects.toThrow(/open transaction/);
  });
});
