import { Body, Controller, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNumber, IsString } from 'class-validator';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { PLATFORM_TEST_SECRET, PlatformTestApp, startPlatformTestApp, TestDatabase } from '@app/testing';
import { issueToken, Roles, ServiceConfig } from '../index';

jest.setTimeout(60_000);

const SECRET = PLATFORM_TEST_SECRET;
const GATE = 4343;
const POOL_SIZE = 2;
const CONNECT_TIMEOUT_MS = 500;
const STATEMENT_TIMEOUT_MS = 1500;

class RefDto {
  @IsString()
  ref!: string;
}

class SleepDto {
  @IsNumber()
  seconds!: number;
}

/** Takes longer than the statement timeout: migrations must not be bound by it. */
class SlowTestSchema1767225700001 implements MigrationInterface {
  name = 'SlowTestSchema1767225700001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_sleep($1)`, [(STATEMENT_TIMEOUT_MS * 1.5) / 1000]);
    await q.query(`CREATE TABLE test_rows (id serial PRIMARY KEY, ref text NOT NULL)`);
  }
  async down(): Promise<void> {}
}

@Controller('v1/trouble')
class TroubleController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** A transaction, a read through the pool API and a repository-style query builder read. */
  @Post('write')
  @Roles('finance')
  async write(@Body() dto: RefDto) {
    const [row] = await this.ds.transaction((em) =>
      em.query('INSERT INTO test_rows (ref) VALUES ($1) RETURNING id', [dto.ref]),
    );
    const [{ n }] = await this.ds.query('SELECT count(*)::int AS n FROM test_rows WHERE ref = $1', [dto.ref]);
    const viaBuilder = await this.ds
      .createQueryBuilder()
      .select('r.id', 'id')
      .from('test_rows', 'r')
      .where('r.ref = :ref', { ref: dto.ref })
      .getRawMany();
    return { id: row.id, seen: n, viaBuilder: viaBuilder.length };
  }

  @Post('sleep')
  @Roles('finance')
  async sleep(@Body() dto: SleepDto) {
    await this.ds.query('SELECT pg_sleep($1)', [dto.seconds]);
    return { slept: dto.seconds };
  }

  @Post('gated')
  @Roles('finance')
  async gated() {
    await this.ds.query('SELECT pg_advisory_xact_lock_shared($1)', [GATE]);
    return { passed: true };
  }
}

describe('database trouble on PostgreSQL', () => {
  let db: TestDatabase;
  let admin: Client;
  let sql: Client;
  let config: ServiceConfig;
  let http: ReturnType<typeof request>;
  const finance = `Bearer ${issueToken(SECRET, { sub: 'fin-1', role: 'finance' })}`;
  const write = (ref: string, key?: string) => {
    const req = http.post('/v1/trouble/write').set('Authorization', finance);
    return (key ? req.set('Idempotency-Key', key) : req).send({ ref });
  };

  function expectDatabaseUnavailable(res: request.Response): void {
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(res.body.type).toMatch(/\/database-unavailable$/);
  }

  /** Pool connections held outside any request, as long-running work elsewhere in the service would. */
  async function holdPoolConnections(count: number): Promise<QueryRunner[]> {
    const runners = Array.from({ length: count }, () => test.app.get(DataSource).createQueryRunner());
    await Promise.all(runners.map((r) => r.connect()));
    return runners;
  }

  let test: PlatformTestApp;

  beforeAll(async () => {
    test = await startPlatformTestApp({
      dbPrefix: 'platform_db_trouble',
      service: 'returns',
      migrations: [SlowTestSchema1767225700001],
      controllers: [TroubleController],
      env: {
        DATABASE_POOL_SIZE: String(POOL_SIZE),
        DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      },
    });
    ({ db, admin, sql, config, http } = test);
  });

  afterAll(async () => {
    await test?.close();
  });

  it('ran its migrations without the statement timeout', async () => {
    const { rows } = await sql.query(`SELECT to_regclass('test_rows') IS NOT NULL AS exists`);
    expect(rows[0].exists).toBe(true);
  });

  it('answers 503 with Retry-After when no pool connection frees up within the connect timeout, and serves again once one does', async () => {
    const held = await holdPoolConnections(POOL_SIZE);
    try {
      const started = Date.now();
      expectDatabaseUnavailable(await write('exhausted-1'));
      expect(Date.now() - started).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
      expectDatabaseUnavailable(await write('exhausted-2', 'exhausted-key'));
    } finally {
      await Promise.all(held.map((r) => r.release()));
    }
    expect((await write('exhausted-1')).status).toBe(201);
    expect((await write('exhausted-2', 'exhausted-key')).status).toBe(201);
  });

  it('serves a request with an Idempotency-Key on one pool connection, whatever its handler does', async () => {
    const held = await holdPoolConnections(POOL_SIZE - 1);
    try {
      const res = await write('one-connection', 'one-connection-key');
      expect(res.status).toBe(201);
      // Its own transaction's row is visible to its later reads: they ran on the same connection.
      expect(res.body).toMatchObject({ seen: 1, viaBuilder: 1 });
    } finally {
      await Promise.all(held.map((r) => r.release()));
    }
  });

  it('answers 503 when a statement runs past the statement timeout', async () => {
    const started = Date.now();
    const res = await http.post('/v1/trouble/sleep').set('Authorization', finance).send({ seconds: 5 });
    expectDatabaseUnavailable(res);
    expect(Date.now() - started).toBeLessThan(4500);
  });

  it('answers 503 when the database terminates the connection a request is using', async () => {
    const gate = new Client({ connectionString: db.url, application_name: 'test-gate' });
    await gate.connect();
    try {
      await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
      const pending = http
        .post('/v1/trouble/gated')
        .set('Authorization', finance)
        .send({})
        .then((r) => r);
      let pid: number | undefined;
      for (let waited = 0; pid === undefined && waited < 15_000; waited += 20) {
        const { rows } = await sql.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event = 'advisory'`,
          [config.serviceName],
        );
        if (rows.length > 0) pid = rows[0].pid;
        else await new Promise((r) => setTimeout(r, 20));
      }
      expect(pid).toBeDefined();
      await sql.query('SELECT pg_terminate_backend($1)', [pid]);
      expectDatabaseUnavailable(await pending);
    } finally {
      await gate.end();
    }
  });

  it('shows the database down on /health (503) while it refuses connections, and recovers without a restart', async () => {
    await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS false`);
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
        [db.name, config.serviceName],
      );
      const health = await http.get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      expectDatabaseUnavailable(await write('refused-1'));
      expectDatabaseUnavailable(await write('refused-2', 'refused-key'));
    } finally {
      await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`);
    }
    const health = await http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect((await write('refused-1')).status).toBe(201);
    expect((await write('refused-2', 'refused-key')).status).toBe(201);
  });
});
