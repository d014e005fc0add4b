import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { ClientBase } from 'pg';
import { EntityManager } from 'typeorm';

/** A COPY text-format field: backslash, tab, newline and carriage return escaped; null is \N. */
function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIALS, (ch) => COPY_ESCAPES[ch]) : value;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Text sent to the server per write: large enough to amortise, and small enough that a chunk of
 * two-byte (e.g. Chinese) text stays under V8's large-object size (128 KB), so chunk strings are
 * recycled by the young-generation collector instead of each taking fresh pages from the OS.
 */
const CHUNK_CHARS = 16 * 1024;

/** Up to this many rows go as one INSERT: one round trip, where COPY takes several. */
const SMALL_ROWS = 100;

/**
 * COPY rows into a table in the caller's transaction (the EntityManager of `DataSource.transaction`).
 * COPY writes rows to the heap in multi-row batches, far cheaper than INSERT … SELECT for
 * thousands of rows; a few rows (up to SMALL_ROWS, a dealer's 10-card batch) go as one
 * multi-row INSERT with the same values and the same all-or-nothing outcome. Constraints and
 * indexes apply as usual, and a violation fails the whole write (wrap it in a SAVEPOINT to
 * recover). `table` and `columns` are trusted identifiers.
 */
export async function copyRows(
  em: EntityManager,
  table: string,
  columns: ReadonlyArray<string>,
  rows: Iterable<ReadonlyArray<string | null | undefined>>,
): Promise<void> {
  const runner = em.queryRunner;
  if (!runner?.isTransactionActive)
    throw new Error('copyRows must be called with the EntityManager of an open transaction');
  const client = (await runner.connect()) as ClientBase;
  const iterator = rows[Symbol.iterator]();
  const first: Array<ReadonlyArray<string | null | undefined>> = [];
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    first.push(next.value);
    if (first.length > SMALL_ROWS) break;
  }
  if (first.length === 0) return;
  if (first.length <= SMALL_ROWS) return insertRows(client, table, columns, first);
  const all = function* () {
    yield* first;
    for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
  };
  await copyRowsWith(client, table, columns, all());
}

/** One multi-row INSERT; untyped parameters take their columns' types, as COPY's text does. */
async function insertRows(
  client: ClientBase,
  table: string,
  columns: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string | null | undefined>>,
): Promise<void> {
  const values: Array<string | null> = [];
  const tuples = rows.map((row) => {
    const slots = columns.map((_, i) => {
      values.push(row[i] ?? null);
      return `$${values.length}`;
    });
    return `(${slots.join(', ')})`;
  });
  await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
}

/** The same COPY on a node-postgres client the caller holds (scripts, benchmarks). */
export async function copyRowsWith(
  client: ClientBase,
  table: string,
  columns: ReadonlyArray<string>,
  rows: Iterable<ReadonlyArray<string | null | undefined>>,
): Promise<void> {
  const chunks = function* (): Generator<string> {
    let buffer = '';
    for (const row of rows) {
      let line = '';
      for (let i = 0; i < row.length; i += 1) line += (i === 0 ? '' : '\t') + copyField(row[i]);
      buffer += `${line}\n`;
      if (buffer.length >= CHUNK_CHARS) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer.length > 0) yield buffer;
  };
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}
