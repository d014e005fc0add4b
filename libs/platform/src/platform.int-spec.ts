import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Injectable, Module, Param, Post } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsString, Matches, ValidateNested } from 'class-validator';
import { Client } from 'pg';
import request from 'supertest';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import {
  assertDealerAccess,
  AuditLogService,
  createServiceApp,
  CurrentPrincipal,
  DomainError,
  issueToken,
  loadServiceConfig,
  PlatformModule,
  Principal,
  Public,
  RequestContext,
  Roles,
  ServiceConfig,
  ServiceHealthIndicator,
} from './index';
import { untilWaitingOnAdvisoryLock } from '@app/testing';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'local-development-secret-please-change';

class CardDto {
  @IsString()
  @Matches(/^SN-\d{4}$/)
  serial!: string;
}

class SubmitDto {
  @ValidateNested({ each: true })
  @Type(() => CardDto)
  @ArrayMinSize(1)
  cards!: CardDto[];
}

let executions = 0;
const GATE = 4242;

@Controller('v1/things')
class ThingsController {
  constructor(
    private readonly audit: AuditLogService,
    private readonly ctx: RequestContext,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('closed')
  closed() {
    return { reachable: true };
  }

  @Get('dealer/:code')
  @Roles('dealer', 'after-sales', 'auditor')
  byDealer(@Param('code') code: string, @CurrentPrincipal() principal: Principal) {
    assertDealerAccess(principal, code);
    return { code, sub: principal.sub, correlationId: this.ctx.correlationId };
  }

  @Post()
  @Roles('dealer', 'after-sales', 'auditor')
  async submit(@Body() body: SubmitDto, @CurrentPrincipal() principal: Principal) {
    executions += 1;
    return this.ds.transaction(async (em) => {
      await this.audit.record(em, {
        action: 'things.submitted',
        entityType: 'thing',
        entityId: `T-${executions}`,
        dealerCode: principal.dealerCode,
        details: { count: body.cards.length },
      });
      return { id: `T-${executions}`, count: body.cards.length };
    });
  }

  @Post('accept')
  @HttpCode(202)
  @Roles('after-sales')
  accept() {
    executions += 1;
    return { accepted: executions };
  }

  /** Waits while the test holds the gate (an advisory lock on the test database). */
  @Post('gated')
  @HttpCode(202)
  @Roles('after-sales')
  async gated() {
    await this.ds.query('SELECT pg_advisory_xact_lock_shared($1)', [GATE]);
    executions += 1;
    return { gated: executions };
  }

  @Post('boom')
  @Roles('after-sales')
  boom(): never {
    throw new Error('secret internals: password=hunter2 at /srv/app.js:42');
  }

  @Post('domain')
  @Roles('after-sales')
  domain(): never {
    throw new DomainError('DUPLICATE_SERIAL', 'Serial SN-0001 was already submitted.', 409, { serial: 'SN-0001' });
  }
}

@Injectable()
class FakeBrokerHealth implements ServiceHealthIndicator {
  readonly name = 'broker';
  up = true;
  async check() {
    return { up: this.up, details: { brokers: 1 } };
  }
}

describe('PlatformModule (integration)', () => {
  const dbName = `platform_${randomBytes(4).toString('hex')}_test`;
  let admin: Client;
  let app: NestFastifyApplication;
  let config: ServiceConfig;
  let http: ReturnType<typeof request>;
  const token = (claims: { sub: string; role: Principal['role']; dealer?: string }) =>
    `Bearer ${issueToken(SECRET, claims)}`;
  const afterSales = () => token({ sub: 'u-as', role: 'after-sales' });
  const dealerA = () => token({ sub: 'u-da', role: 'dealer', dealer: 'D001' });

  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const dbUrl = new URL(ADMIN_URL);
    dbUrl.pathname = `/${dbName}`;
    config = loadServiceConfig('dealers', {
      DATABASE_URL: dbUrl.toString(),
      KAFKA_BROKERS: 'localhost:9092',
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: process.env.PLATFORM_TEST_LOG_LEVEL ?? 'silent',
      DOCS_PEER_URLS: 'returns=http://localhost:3003/docs-json',
    });

    @Module({
      imports: [PlatformModule.forRoot({ config, entities: [], migrations: [], healthIndicators: [FakeBrokerHealth] })],
      controllers: [ThingsController],
      providers: [FakeBrokerHealth],
    })
    class TestAppModule {}

    app = await createServiceApp(TestAppModule, config, { title: 'Test service', description: 'platform test' });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    http = request(app.getHttpAdapter().getInstance().server);
  }, 60_000);

  afterAll(async () => {
    try {
      await app?.close();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('answers 401 problem without or with a bad token', async () => {
    const res = await http.get('/v1/things/dealer/D001');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/v1/things/dealer/D001' });
    expect(res.body.type).toMatch(/\/unauthorized$/);
    expect(res.body.correlationId).toEqual(expect.any(String));

    const bad = await http
      .get('/v1/things/dealer/D001')
      .set('Authorization', `Bearer ${issueToken('x'.repeat(40), { sub: 'a', role: 'admin' })}`);
    expect(bad.status).toBe(401);
    const noDealer = await http.get('/v1/things/dealer/D001').set('Authorization', token({ sub: 'd', role: 'dealer' }));
    expect(noDealer.status).toBe(401);
  });

  it('is secure by default and checks roles', async () => {
    expect((await http.get('/v1/things/open')).status).toBe(200);
    const closed = await http.get('/v1/things/closed').set('Authorization', token({ sub: 'a', role: 'admin' }));
    expect(closed.status).toBe(403);
    const wrongRole = await http
      .get('/v1/things/dealer/D001')
      .set('Authorization', token({ sub: 'f', role: 'finance' }));
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.type).toMatch(/\/forbidden$/);
  });

  it('lets auditors read but not write', async () => {
    const auditor = token({ sub: 'aud', role: 'auditor' });
    expect((await http.get('/v1/things/dealer/D001').set('Authorization', auditor)).status).toBe(200);
    const post = await http
      .post('/v1/things')
      .set('Authorization', auditor)
      .send({ cards: [{ serial: 'SN-0001' }] });
    expect(post.status).toBe(403);
  });

  it("hides another dealer's resources with a 404", async () => {
    expect((await http.get('/v1/things/dealer/D001').set('Authorization', dealerA())).status).toBe(200);
    const other = await http.get('/v1/things/dealer/D002').set('Authorization', dealerA());
    expect(other.status).toBe(404);
    expect(other.body.type).toMatch(/\/not-found$/);
  });

  it('echoes the correlation id and makes it available in context', async () => {
    const res = await http
      .get('/v1/things/dealer/D001')
      .set('Authorization', dealerA())
      .set('x-correlation-id', 'corr-123');
    expect(res.headers['x-correlation-id']).toBe('corr-123');
    expect(res.body.correlationId).toBe('corr-123');
    const fallback = await http.get('/v1/things/open').set('x-request-id', 'req-9');
    expect(fallback.headers['x-correlation-id']).toBe('req-9');
    const fresh = await http.get('/v1/things/open');
    expect(fresh.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a validation problem naming the field and rule', async () => {
    const res = await http
      .post('/v1/things')
      .set('Authorization', afterSales())
      .send({ cards: [{ serial: 'SN-0001' }, { serial: 'bad' }], extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.type).toMatch(/\/validation$/);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'cards[1].serial', rule: 'matches' }),
        expect.objectContaining({ field: 'extra', rule: 'forbidden' }),
      ]),
    );
  });

  it('answers malformed JSON with a 400 malformed-body problem', async () => {
    const res = await http
      .post('/v1/things')
      .set('Authorization', afterSales())
      .set('Content-Type', 'application/json')
      .send('{"cards": [');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toMatch(/\/malformed-body$/);
    expect(res.body.instance).toBe('/v1/things');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await http.get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers unexpected errors with 500 without internals', async () => {
    const res = await http.post('/v1/things/boom').set('Authorization', afterSales()).send({});
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(res.body.type).toMatch(/\/internal$/);
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|app\.js|secret/);
  });

  it('maps domain errors to problems with their code', async () => {
    const res = await http.post('/v1/things/domain').set('Authorization', afterSales()).send({});
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'DUPLICATE_SERIAL',
      serial: 'SN-0001',
      detail: 'Serial SN-0001 was already submitted.',
    });
    expect(res.body.type).toMatch(/\/duplicate-serial$/);
  });

  it('replays an idempotent POST and refuses the key with another body', async () => {
    const before = executions;
    const body = { cards: [{ serial: 'SN-1000' }] };
    const first = await http
      .post('/v1/things')
      .set('Authorization', dealerA())
      .set('Idempotency-Key', 'key-1')
      .send(body);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await http
      .post('/v1/things')
      .set('Authorization', dealerA())
      .set('Idempotency-Key', 'key-1')
      .send(body);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(executions).toBe(before + 1);

    const other = await http
      .post('/v1/things')
      .set('Authorization', dealerA())
      .set('Idempotency-Key', 'key-1')
      .send({ cards: [{ serial: 'SN-2000' }] });
    expect(other.status).toBe(409);
    expect(other.body.type).toMatch(/\/idempotency-key-reused$/);

    // Same key under another principal is independent.
    const otherPrincipal = await http
      .post('/v1/things')
      .set('Authorization', afterSales())
      .set('Idempotency-Key', 'key-1')
      .send(body);
    expect(otherPrincipal.status).toBe(201);
    expect(otherPrincipal.headers['idempotent-replayed']).toBeUndefined();

    const badKey = await http
      .post('/v1/things')
      .set('Authorization', dealerA())
      .set('Idempotency-Key', 'has space')
      .send(body);
    expect(badKey.status).toBe(400);
  });

  it('replays with the route status code and releases the key when the handler fails', async () => {
    const a = await http
      .post('/v1/things/accept')
      .set('Authorization', afterSales())
      .set('Idempotency-Key', 'acc-1')
      .send({});
    const b = await http
      .post('/v1/things/accept')
      .set('Authorization', afterSales())
      .set('Idempotency-Key', 'acc-1')
      .send({});
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.body).toEqual(a.body);

    const fail1 = await http
      .post('/v1/things/boom')
      .set('Authorization', afterSales())
      .set('Idempotency-Key', 'boom-1')
      .send({});
    const fail2 = await http
      .post('/v1/things/boom')
      .set('Authorization', afterSales())
      .set('Idempotency-Key', 'boom-1')
      .send({});
    expect([fail1.status, fail2.status]).toEqual([500, 500]);
  });

  it('reports in-progress requests with 409', async () => {
    const gate = new Client({ connectionString: config.databaseUrl, application_name: 'test-gate' });
    await gate.connect();
    try {
      await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
      const running = http
        .post('/v1/things/gated')
        .set('Authorization', afterSales())
        .set('Idempotency-Key', 'busy-1')
        .send({})
        .then((r) => r);
      await untilWaitingOnAdvisoryLock(gate, 'the first request');
      const res = await http
        .post('/v1/things/gated')
        .set('Authorization', afterSales())
        .set('Idempotency-Key', 'busy-1')
        .send({});
      expect(res.status).toBe(409);
      expect(res.body.type).toMatch(/\/idempotency-key-in-progress$/);
      await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
      expect((await running).status).toBe(202);
    } finally {
      await gate.end();
    }
  });

  it('writes audit rows with actor and request context, and the database refuses changes', async () => {
    await http
      .post('/v1/things')
      .set('Authorization', dealerA())
      .set('x-correlation-id', 'audit-corr')
      .send({ cards: [{ serial: 'SN-3000' }] })
      .expect(201);
    const ds = app.get(DataSource);
    const rows = await ds.query(`SELECT * FROM audit_log WHERE correlation_id = 'audit-corr'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: 'u-da',
      role: 'dealer',
      dealer_code: 'D001',
      action: 'things.submitted',
      entity_type: 'thing',
    });
    expect(rows[0].request_id).toEqual(expect.any(String));
    expect(rows[0].details).toEqual({ count: 1 });

    await expect(ds.query(`UPDATE audit_log SET actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);

    // Outside a request: system actor.
    const audit = app.get(AuditLogService);
    const row = await ds.transaction((em) =>
      audit.record(em, { action: 'job.ran', entityType: 'job', entityId: 'J1' }),
    );
    expect(row!.actor).toBe('system');
  });

  it('lists the audit log for auditors with cursor pagination, not for dealers', async () => {
    const auditor = token({ sub: 'aud', role: 'auditor' });
    const page1 = await http.get('/v1/audit-log?limit=1&dealer=D001').set('Authorization', auditor);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await http
      .get(`/v1/audit-log?limit=1&dealer=D001&cursor=${page1.body.nextCursor}`)
      .set('Authorization', auditor);
    expect(page2.status).toBe(200);
    // Newest first: the next page goes on with older entries.
    expect(Number(page2.body.items[0].id)).toBeLessThan(Number(page1.body.items[0].id));
    expect((await http.get('/v1/audit-log').set('Authorization', dealerA())).status).toBe(403);
    expect((await http.get('/v1/audit-log?limit=501').set('Authorization', auditor)).status).toBe(400);
  });

  it('serves /health with database and extra indicators, 503 with terminus body when down', async () => {
    const ok = await http.get('/health');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, broker: { status: 'up', brokers: 1 } },
    });
    app.get(FakeBrokerHealth).up = false;
    const down = await http.get('/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'error', error: { broker: { status: 'down' } } });
    app.get(FakeBrokerHealth).up = true;
  });

  it('serves /metrics with http_requests_total', async () => {
    const res = await http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/v1\/things\/dealer\/:code"[^}]*\}/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket/);
    expect(res.text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('runs a second app in the same process with its own config and metrics', async () => {
    const second = loadServiceConfig('returns', {
      DATABASE_URL: config.databaseUrl,
      KAFKA_BROKERS: 'localhost:9092',
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
    });
    @Module({ imports: [PlatformModule.forRoot({ config: second, entities: [], migrations: [] })] })
    class SecondModule {}
    const app2 = await createServiceApp(SecondModule, second, { title: 'Second', description: 'second' });
    try {
      await app2.init();
      await app2.getHttpAdapter().getInstance().ready();
      expect(app2.get(ConfigService).get('serviceName')).toBe('returns');
      expect(app.get(ConfigService).get('serviceName')).toBe('dealers');
      const metrics2 = await request(app2.getHttpAdapter().getInstance().server).get('/metrics');
      expect(metrics2.text).toContain('service="returns"');
      expect(metrics2.text).not.toContain('/v1/things');
    } finally {
      await app2.close();
    }
  });

  it('serves /docs-json with bearer auth and the problem schema, and /docs with peer specs', async () => {
    const res = await http.get('/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(res.body.components.schemas.ProblemDetails).toBeDefined();
    expect(res.body.paths['/v1/things']).toBeDefined();
    const ui = await http.get('/docs/swagger-ui-init.js');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('http://localhost:3003/docs-json');
  });
});
