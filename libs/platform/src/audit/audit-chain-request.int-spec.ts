import { Controller, HttpCode, Injectable, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PLATFORM_TEST_SECRET, PlatformTestApp, startPlatformTestApp, untilWaitingOnAdvisoryLock } from '@app/testing';
import { Roles } from '../auth/auth.decorators';
import { issueToken } from '../auth/issue-token';
import { AuditLogService } from './audit-log.service';

/** Advisory lock the test holds to keep a request waiting after it wrote its audit entry. */
const GATE = 4343;

@Injectable()
@Controller('v1/audited')
class AuditedController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  /** Writes its audit entry, then waits at the gate before the request commits. */
  @Post('gated')
  @HttpCode(201)
  @Roles('after-sales')
  async gated() {
    await this.ds.transaction((em) =>
      this.audit.record(em, { action: 'thing.gated', entityType: 'thing', entityId: 'GATED' }),
    );
    await this.ds.query('SELECT pg_advisory_xact_lock_shared($1)', [GATE]);
    return { ok: true };
  }

  /** Writes an audit entry in a savepoint that rolls back, then one that stays. */
  @Post('partly')
  @HttpCode(201)
  @Roles('after-sales')
  async partly() {
    await this.ds
      .transaction(async (em) => {
        await this.audit.record(em, { action: 'thing.undone', entityType: 'thing', entityId: 'UNDONE' });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await this.ds.transaction((em) =>
      this.audit.record(em, { action: 'thing.kept', entityType: 'thing', entityId: 'KEPT' }),
    );
    return { ok: true };
  }
}

describe('audit chain in a request transaction (integration)', () => {
  let t: PlatformTestApp;
  let ds: DataSource;
  const afterSales = `Bearer ${issueToken(PLATFORM_TEST_SECRET, { sub: 'as-1', role: 'after-sales' })}`;
  const auditor = `Bearer ${issueToken(PLATFORM_TEST_SECRET, { sub: 'auditor-1', role: 'auditor' })}`;
  const entity = async (entityId: string) =>
    (await t.sql.query(`SELECT id, actor FROM audit_log WHERE entity_id = $1`, [entityId])).rows;

  beforeAll(async () => {
    t = await startPlatformTestApp({
      dbPrefix: 'audit_chain_request',
      service: 'dealers',
      migrations: [],
      controllers: [AuditedController],
    });
    ds = t.app.get(DataSource);
  }, 60_000);

  afterAll(() => t?.close());

  it('chains the entry at the commit: a request still running does not hold the chain head', async () => {
    const gate = new Client({ connectionString: t.db.url, application_name: 'test-gate' });
    await gate.connect();
    try {
      await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
      const running = t.http
        .post('/v1/audited/gated')
        .set('Authorization', afterSales)
        .set('Idempotency-Key', 'gated-1')
        .send({})
        .then((r) => r);
      await untilWaitingOnAdvisoryLock(gate, 'the request');
      // Another writer chains its entry while the request waits (it would wait for the request's commit otherwise).
      const other = ds.transaction((em) =>
        t.app.get(AuditLogService).record(em, { action: 'thing.other', entityType: 'thing', entityId: 'OTHER' }),
      );
      const written = await Promise.race([other, new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 3_000))]);
      await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
      expect(written).not.toBe('blocked');
      expect((await running).status).toBe(201);
      await other;
    } finally {
      await gate.end();
    }
    const [gated] = await entity('GATED');
    const [otherEntry] = await entity('OTHER');
    expect(gated).toMatchObject({ actor: 'as-1' });
    expect(Number(gated.id)).toBeGreaterThan(Number(otherEntry.id)); // chained when the request committed
    const res = await t.http.get('/v1/audit-log/verification').set('Authorization', auditor);
    expect(res.body).toMatchObject({ ok: true, mismatch: null });
  }, 20_000);

  it('drops the entry of a savepoint that rolled back and keeps the others', async () => {
    const res = await t.http
      .post('/v1/audited/partly')
      .set('Authorization', afterSales)
      .set('Idempotency-Key', 'partly-1')
      .send({});
    expect(res.status).toBe(201);
    expect(await entity('UNDONE')).toEqual([]);
    expect(await entity('KEPT')).toHaveLength(1);
    const verified = await t.http.get('/v1/audit-log/verification').set('Authorization', auditor);
    expect(verified.body).toMatchObject({ ok: true, mismatch: null });
  });

  it('sends the chaining statement in one message with the COMMIT: the head is never held while this process is busy elsewhere', async () => {
    const kept = (await entity('KEPT')).length;
    const spy = jest.spyOn(Client.prototype, 'query');
    let texts: unknown[];
    try {
      const res = await t.http
        .post('/v1/audited/partly')
        .set('Authorization', afterSales)
        .set('Idempotency-Key', 'one-message-1')
        .send({});
      expect(res.status).toBe(201);
    } finally {
      texts = spy.mock.calls.map(([text]) => text);
      spy.mockRestore();
    }
    const sent = texts.filter((text): text is string => typeof text === 'string' && text.includes('audit_chain_head'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/FROM audit_chain_head FOR UPDATE[\s\S]*;\nCOMMIT$/);
    expect(await entity('KEPT')).toHaveLength(kept + 1);
    expect(await entity('UNDONE')).toHaveLength(0);
  });
});
