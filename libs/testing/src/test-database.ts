import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  /** postgres:// URL of the fresh database. */
  readonly url: string;
  readonly name: string;
  /** Drops the database (WITH (FORCE): open connections are terminated). */
  drop(): Promise<void>;
}

export const DEFAULT_TEST_DATABASE_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function adminUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_TEST_DATABASE_ADMIN_URL;
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function assertTestName(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name.length > 63) {
    throw new Error(`invalid test database name "${name}" (lowercase letters, digits, _; at most 63 chars)`);
  }
  if (!name.includes('test')) {
    throw new Error(`refusing to touch database "${name}": a test database name must contain "test"`);
  }
}

/** Creates a fresh, empty database named `<prefix>_<random>_test` on the admin server. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const cleanPrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  const name = `${cleanPrefix}_${randomBytes(5).toString('hex')}_test`;
  assertTestName(name);
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return;
      assertTestName(name);
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      dropped = true;
    },
  };
}

/** Waits until a session of `client`'s database waits for an advisory lock (a request held at a gate). */
export async function untilWaitingOnAdvisoryLock(client: Client, what: string, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; ; waited += 20) {
    const { rows } = await client.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
    );
    if (rows.length > 0) return;
    if (waited > timeoutMs) throw new Error(`${what} never reached the gate`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
