import { Body, Controller, Post, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { PLATFORM_TEST_SECRET, PlatformTestApp, startPlatformTestApp, TestDatabase } from '@app/testing';
import { CurrentPrincipal, IdempotencySweeper, issueToken, Principal, Roles, ServiceConfig } from '../index';

jest.setTimeout(60_000);

const SECRET = PLATFORM_TEST_SECRET;
/** Advisory lock the test holds to keep a handler waiting (see EffectsController). */
const GATE = 4242;

class EffectDto {
  @IsString()
  ref!: string;

  @IsOptional()
  @IsBoolean()
  gate?: boolean;
}

class TestEffects1767225700000 implements MigrationInterface {
  name = 'TestEffects1767225700000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE test_effects (id serial PRIMARY KEY, ref text NOT NULL, actor text NOT NULL)`);
    await q.query(`CREATE TABLE test_locks (id int PRIMARY KEY)`);
    await q.query(`INSERT INTO test_locks VALUES (1), (2)`);
  }
  async down(): Promise<void> {}
}

const errorCode = (err: unknown) => (err as { code?: unknown } | null)?.code;

/** Holds a handler between two statements (not in a query) until the test opens it. */
let idleGate: { reached: () => void; open: Promise<void> } | undefined;

@Controller('v1/effects')
class EffectsController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** One effect row per execution; with `gate`, then waits while the test holds the gate. */
  @Post()
  @Roles('dealer', 'after-sales', 'finance')
  async create(@Body() dto: EffectDto, @CurrentPrincipal() principal: Principal) {
    const [row] = await this.ds.transaction((em) =>
      em.query('INSERT INTO test_effects (ref, actor) VALUES ($1, $2) RETURNING id', [dto.ref, principal.sub]),
    );
    if (dto.gate) await this.ds.query('SELECT pg_advisory_xact_lock_shared($1)', [GATE]);
    return { id: row.id, ref: dto.ref, role: principal.role, dealer: principal.dealerCode ?? null };
  }

  /** Reads, waits between statements while the test holds `idleGate`, then writes its effect in a transaction of its own. */
  @Post('idle')
  @Roles('finance')
  async idle(@Body() dto: EffectDto, @CurrentPrincipal() principal: Principal) {
    await this.ds.query('SELECT count(*) FROM test_effects');
    if (idleGate) {
      idleGate.reached();
      await idleGate.open;
    }
    const [row] = await this.ds.transaction((em) =>
      em.query('INSERT INTO test_effects (ref, actor) VALUES ($1, $2) RETURNING id', [dto.ref, principal.sub]),
    );
    return { id: row.id, ref: dto.ref };
  }

  /** 201 for a new ref, 200 for one already recorded: the handler sets the status itself. */
  @Post('upsert')
  @Roles('finance')
  async upsert(
    @Body() dto: EffectDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const existing: unknown[] = await this.ds.query('SELECT 1 FROM test_effects WHERE ref = $1', [dto.ref]);
    if (existing.length === 0)
      await this.ds.query('INSERT INTO test_effects (ref, actor) VALUES ($1, $2)', [dto.ref, principal.sub]);
    reply.status(existing.length === 0 ? 201 : 200);
    return { ref: dto.ref, created: existing.length === 0 };
  }

  /** Locks row 1 then row 2 in a transaction that is rerun when PostgreSQL breaks a deadlock. */
  @Post('deadlock')
  @Roles('finance')
  async deadlock(@Body() dto: EffectDto, @CurrentPrincipal() principal: Principal) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.ds.transaction(async (em) => {
          await em.query('INSERT INTO test_effects (ref, actor) VALUES ($1, $2)', [
            `${dto.ref}-attempt-${attempt}`,
            principal.sub,
          ]);
          await em.query('SELECT id FROM test_locks WHERE id = 1 FOR UPDATE');
          await em.query('SELECT id FROM test_locks WHERE id = 2 FOR UPDATE');
          return { ref: dto.ref, attempts: attempt };
        });
      } catch (err) {
        if (errorCode(err) !== '40P01' || attempt === 3) throw err;
      }
    }
  }

  /** Two transactions and a read at once: the first fails, the second stores its row. */
  @Post('parallel')
  @Roles('finance')
  async parallel(@Body() dto: EffectDto, @CurrentPrincipal() principal: Principal) {
    const failing = this.ds
      .transaction(async (em) => {
        await em.query('INSERT INTO test_effects (ref, actor) VALUES ($1, $2)', [`${dto.ref}-failed`, principal.sub]);
        await em.query('SELECT pg_sleep(0.05)');
        throw new Error('rolled back on purpose');
      })
      .then(
        () => 'committed',
        (err: Error) => err.message,
      );
    const succeeding = this.ds.transaction(async (em) => {
      await em.query('SELECT pg_sleep(0.02)');
      const [row] = await em.query('INSERT INTO test_effects (ref, actor) VALUES ($1, $2) RETURNING id', [
        `${dto.ref}-kept`,
        principal.sub,
      ]);
      return row.id as number;
    });
    const reading = this.ds.query('SELECT count(*)::int AS n FROM test_effects WHERE ref LIKE $1', [`${dto.ref}-%`]);
    const [first, keptId, [{ n }]] = await Promise.all([failing, succeeding, reading]);
    return { first, keptId, seenAtStart: n };
  }
}

describe('Idempotency-Key on PostgreSQL', () => {
  let test: PlatformTestApp;
  let db: TestDatabase;
  let admin: Client;
  let sql: Client;
  let gate: Client;
  let config: ServiceConfig;
  let http: ReturnType<typeof request>;

  const bearer = (claims: { sub: string; role: Principal['role']; dealer?: string }) =>
    `Bearer ${issueToken(SECRET, claims)}`;
  const finance = bearer({ sub: 'fin-1', role: 'finance' });
  const post = (path: string, key: string, body: object, auth = finance) =>
    http.post(path).set('Authorization', auth).set('Idempotency-Key', key).send(body);
  const effects = async (ref: string): Promise<number> =>
    (await sql.query('SELECT count(*)::int AS n FROM test_effects WHERE ref = $1', [ref])).rows[0].n;

  /** pid of the service's backend waiting for the gate, once there is one. */
  async function backendAtGate(): Promise<number> {
    for (let waited = 0; waited < 15_000; waited += 25) {
      const { rows } = await sql.query(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        [config.serviceName],
      );
      if (rows.length === 1) return rows[0].pid;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no request reached the gate');
  }

  beforeAll(async () => {
    test = await startPlatformTestApp({
      dbPrefix: 'platform_idem',
      service: 'dealers',
      migrations: [TestEffects1767225700000],
      controllers: [EffectsController],
    });
    ({ db, admin, sql, config, http } = test);
    gate = new Client({ connectionString: db.url, application_name: 'test-gate' });
    await gate.connect();
  });

  afterAll(async () => {
    await gate?.end();
    await test?.close();
  });

  afterEach(async () => {
    await gate.query('SELECT pg_advisory_unlock_all()');
  });

  it('commits effect and answer together: a request whose connection is lost answers 503 and stores nothing; its retry runs once and is then replayed', async () => {
    await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
    const body = { ref: 'atomic-1', gate: true };
    const lost = post('/v1/effects', 'atomic-key', body).then((r) => r);
    await sql.query('SELECT pg_terminate_backend($1)', [await backendAtGate()]);
    const res = await lost;
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.type).toMatch(/\/database-unavailable$/);
    // The effect was written before the connection went: it was rolled back with it.
    expect(await effects('atomic-1')).toBe(0);

    await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
    const retry = await post('/v1/effects', 'atomic-key', body);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('/v1/effects', 'atomic-key', body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(retry.text);
    expect(await effects('atomic-1')).toBe(1);
  });

  it('a connection lost while the handler is between statements fails the rest of the request: nothing runs on another connection', async () => {
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    let open!: () => void;
    idleGate = { reached, open: new Promise<void>((r) => (open = r)) };
    try {
      const pending = post('/v1/effects/idle', 'idle-key', { ref: 'idle-1' }).then((r) => r);
      await atGate;
      const { rows } = await sql.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND state = 'idle in transaction'`,
        [config.serviceName],
      );
      expect(rows).toHaveLength(1);
      // The client library learns of the loss from the socket; give it that moment.
      await new Promise((r) => setTimeout(r, 200));
      open();
      const res = await pending;
      expect(res.status).toBe(503);
      expect(await effects('idle-1')).toBe(0);
    } finally {
      idleGate = undefined;
    }
    const retry = await post('/v1/effects/idle', 'idle-key', { ref: 'idle-1' });
    expect(retry.status).toBe(201);
    expect(await effects('idle-1')).toBe(1);
  });

  it('answers 409 in-progress with Retry-After while the same key runs, and replays its answer once it is done', async () => {
    await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
    const body = { ref: 'running-1', gate: true };
    const first = post('/v1/effects', 'running-key', body).then((r) => r);
    await backendAtGate();
    const concurrent = await post('/v1/effects', 'running-key', body);
    expect(concurrent.status).toBe(409);
    expect(concurrent.body.type).toMatch(/\/idempotency-key-in-progress$/);
    expect(concurrent.headers['retry-after']).toBe('1');

    await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
    const done = await first;
    expect(done.status).toBe(201);
    const retry = await post('/v1/effects', 'running-key', body);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.text).toBe(done.text);
    expect(await effects('running-1')).toBe(1);
  });

  it('never lets a holder whose connection died block its key, even when the database dropped every connection', async () => {
    await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
    const body = { ref: 'dead-1', gate: true };
    const holder = post('/v1/effects', 'dead-key', body).then((r) => r);
    await backendAtGate();
    // The database goes away for the service: no new connections, the open ones terminated.
    await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS false`);
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
        [db.name, config.serviceName],
      );
      const res = await holder;
      expect(res.status).toBe(503);
    } finally {
      await admin.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`);
    }
    await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
    const retry = await post('/v1/effects', 'dead-key', body);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await effects('dead-1')).toBe(1);
  });

  it("keeps each principal's answers apart: the same sub and key with another dealer or role runs on its own", async () => {
    const body = { ref: 'scope-1' };
    const d001 = bearer({ sub: 'shared-sub', role: 'dealer', dealer: 'D001' });
    const d002 = bearer({ sub: 'shared-sub', role: 'dealer', dealer: 'D002' });
    const staff = bearer({ sub: 'shared-sub', role: 'after-sales' });

    const first = await post('/v1/effects', 'scope-key', body, d001);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ dealer: 'D001', role: 'dealer' });
    const otherDealer = await post('/v1/effects', 'scope-key', body, d002);
    expect(otherDealer.status).toBe(201);
    expect(otherDealer.headers['idempotent-replayed']).toBeUndefined();
    expect(otherDealer.body).toMatchObject({ dealer: 'D002', role: 'dealer' });
    const otherRole = await post('/v1/effects', 'scope-key', body, staff);
    expect(otherRole.status).toBe(201);
    expect(otherRole.headers['idempotent-replayed']).toBeUndefined();
    expect(otherRole.body).toMatchObject({ dealer: null, role: 'after-sales' });

    const replay = await post('/v1/effects', 'scope-key', body, d001);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(first.text);
    expect(await effects('scope-1')).toBe(3);
  });

  it('replays the status the client got when the handler set it itself', async () => {
    const created = await post('/v1/effects/upsert', 'upsert-a', { ref: 'upsert-1' });
    expect(created.status).toBe(201);
    const existing = await post('/v1/effects/upsert', 'upsert-b', { ref: 'upsert-1' });
    expect(existing.status).toBe(200);
    const replay = await post('/v1/effects/upsert', 'upsert-b', { ref: 'upsert-1' });
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual({ ref: 'upsert-1', created: false });
  });

  it('refuses the key with another body while keeping the first answer', async () => {
    const first = await post('/v1/effects', 'reuse-key', { ref: 'reuse-1' });
    const other = await post('/v1/effects', 'reuse-key', { ref: 'reuse-2' });
    expect(other.status).toBe(409);
    expect(other.body.type).toMatch(/\/idempotency-key-reused$/);
    const otherPath = await post('/v1/effects/upsert', 'reuse-key', { ref: 'reuse-1' });
    expect(otherPath.status).toBe(409);
    const replay = await post('/v1/effects', 'reuse-key', { ref: 'reuse-1' });
    expect(replay.text).toBe(first.text);
    expect(await effects('reuse-2')).toBe(0);
  });

  it('reruns a savepoint that PostgreSQL rolled back to break a deadlock, inside the request transaction', async () => {
    const other = new Client({ connectionString: db.url, application_name: 'test-deadlock' });
    await other.connect();
    try {
      // The service's backend checks for the deadlock after 1 s, this one much later: the service is the victim.
      await other.query(`SET deadlock_timeout = '20s'`);
      await other.query('BEGIN');
      await other.query('SELECT id FROM test_locks WHERE id = 2 FOR UPDATE');
      const pending = post('/v1/effects/deadlock', 'deadlock-key', { ref: 'deadlock-1' }).then((r) => r);
      for (let waited = 0; ; waited += 25) {
        const { rows } = await sql.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
          [config.serviceName],
        );
        if (rows.length > 0) break;
        if (waited > 15_000) throw new Error('the request never waited for row 2');
        await new Promise((r) => setTimeout(r, 25));
      }
      await other.query('SELECT id FROM test_locks WHERE id = 1 FOR UPDATE');
      await other.query('COMMIT');
      const res = await pending;
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ ref: 'deadlock-1', attempts: 2 });
      expect(await effects('deadlock-1-attempt-1')).toBe(0);
      expect(await effects('deadlock-1-attempt-2')).toBe(1);
      const replay = await post('/v1/effects/deadlock', 'deadlock-key', { ref: 'deadlock-1' });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(res.text);
    } finally {
      await other.end();
    }
  });

  it('runs transactions a request starts in parallel one after another on its connection', async () => {
    const res = await post('/v1/effects/parallel', 'parallel-key', { ref: 'parallel-1' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ first: 'rolled back on purpose', keptId: expect.any(Number) });
    expect(await effects('parallel-1-failed')).toBe(0);
    expect(await effects('parallel-1-kept')).toBe(1);
    const withoutKey = await http
      .post('/v1/effects/parallel')
      .set('Authorization', finance)
      .send({ ref: 'parallel-2' });
    expect(withoutKey.body).toMatchObject({ first: 'rolled back on purpose', keptId: expect.any(Number) });
    expect(await effects('parallel-2-kept')).toBe(1);
  });

  it('forgets answers after the retention period: an expired one is not replayed, and the sweep deletes it', async () => {
    const body = { ref: 'expiry-1' };
    const first = await post('/v1/effects', 'expiry-key', body);
    expect(first.status).toBe(201);
    const age = `${config.idempotencyRetentionHours + 1} hours`;
    await sql.query(`UPDATE idempotency_records SET created_at = now() - $1::interval WHERE key = 'expiry-key'`, [age]);
    const afterExpiry = await post('/v1/effects', 'expiry-key', body);
    expect(afterExpiry.status).toBe(201);
    expect(afterExpiry.headers['idempotent-replayed']).toBeUndefined();
    expect(await effects('expiry-1')).toBe(2);

    await sql.query(`UPDATE idempotency_records SET created_at = now() - $1::interval WHERE key = 'expiry-key'`, [age]);
    const live = (await sql.query(`SELECT count(*)::int AS n FROM idempotency_records WHERE key <> 'expiry-key'`))
      .rows[0].n;
    expect(await test.app.get(IdempotencySweeper).sweep()).toBe(1);
    const { rows } = await sql.query(`SELECT key FROM idempotency_records`);
    expect(rows.map((r) => r.key)).not.toContain('expiry-key');
    expect(rows).toHaveLength(live);
  });
});
