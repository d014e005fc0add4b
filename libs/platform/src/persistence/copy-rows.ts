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

/**
 * COPY rows into a table in the caller's transaction (the EntityManager of `DataSource.transaction`).
 * COPY writes rows to the heap in multi-row batches, far cheaper than INSERT … SELECT for
 * thousands of rows; constraints and indexes apply as usual, and a violation fails the whole COPY
 * (wrap it in a SAVEPOINT to recover). `table` and `columns` are trusted identifiers.
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
  await copyRowsWith((await runner.connect()) as ClientBase, table, columns, rows);
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
