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

  // Up to 100 rows go as one INSERT, more as COPY: both must store and fail alike.
  describe.each([
    ['a few rows (one INSERT)', 0],
    ['many rows (COPY)', 150],
  ])('%s', (_label, padding) => {
    const pad = (prefix: string) => Array.from({ length: padding }, (_, i) => [`${prefix}-PAD-${i}`]);

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
      const prefix = `S${padding}`;
      await ds.transaction((em) =>
        copyRows(
          em,
          'items',
          ['code', 'note', 'tags'],
          [
            ...notes.map((note, i) => [`${prefix}-${i}`, note, '{A,B}']),
            ...pad(prefix).map(([code]) => [code, null, '{}']),
          ],
        ),
      );
      const rows: Array<{ code: string; note: string | null; tags: string[] }> = await ds.query(
        `SELECT code, note, tags FROM items WHERE code LIKE $1 AND code NOT LIKE '%-PAD-%' ORDER BY id`,
        [`${prefix}-%`],
      );
      expect(rows.map((r) => r.note)).toEqual(notes);
      expect(rows.every((r) => r.tags.join() === 'A,B')).toBe(true);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM items WHERE code LIKE $1`, [`${prefix}-%`]);
      expect(n).toBe(notes.length + padding);
    });

    it('fails as a whole on a constraint violation, and a savepoint lets the transaction go on', async () => {
      const prefix = `F${padding}`;
      await ds.query(`INSERT INTO items (code) VALUES ($1)`, [`${prefix}-TAKEN`]);
      const outcome = await ds.transaction(async (em) => {
        await em.query('SAVEPOINT before_copy');
        const error = await copyRows(
          em,
          'items',
          ['code'],
          [[`${prefix}-NEW-1`], ...pad(prefix), [`${prefix}-TAKEN`], [`${prefix}-NEW-2`]],
        ).then(
          () => null,
          (err: { code?: string }) => err,
        );
        await em.query('ROLLBACK TO SAVEPOINT before_copy');
        await em.query(`INSERT INTO items (code) VALUES ($1)`, [`${prefix}-AFTER`]);
        return error?.code;
      });
      expect(outcome).toBe('23505');
      const codes: Array<{ code: string }> = await ds.query(`SELECT code FROM items WHERE code LIKE $1 ORDER BY code`, [
        `${prefix}-%`,
      ]);
      expect(codes.map((r) => r.code)).toEqual([`${prefix}-AFTER`, `${prefix}-TAKEN`]);
    });
  });

  it('refuses to run outside a transaction', async () => {
    await expect(copyRows(ds.manager, 'items', ['code'], [['OUTSIDE']])).rejects.toThrow(/open transaction/);
  });
});
