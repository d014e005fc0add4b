import request from 'supertest';
import { DataSource } from 'typeorm';
import { AUDIT_CHAIN_KEY, Topics } from '@app/contracts';
import { AuditChainHeadsPublisher } from '@app/messaging';
import { AuditLogService, Clock } from '@app/platform';
import { bearer, eventually, KafkaProbe, startServiceUnderTest } from '@app/testing';
import { SettlementAppModule } from '../settlement-app.module';

describe('daily audit-chain heads (integration)', () => {
  let stack: Awaited<ReturnType<typeof startServiceUnderTest>>;
  let probe: KafkaProbe;
  let clock: Clock;
  let realNow: () => Date;
  const heads = async (query = '') => {
    const res = await request(stack.svc.url).get(`/v1/audit-chain-heads${query}`).set(bearer('auditor'));
    expect(res.status).toBe(200);
    return res.body.items as Array<Record<string, unknown>>;
  };

  beforeAll(async () => {
    stack = await startServiceUnderTest('settlement', (c) => SettlementAppModule.register(c), 'int_settlement_chain');
    ({ probe } = stack);
    clock = stack.svc.app.get(Clock);
    realNow = clock.now.bind(clock);
  }, 120_000);

  afterAll(async () => {
    if (clock && realNow) clock.now = realNow;
    await stack?.close();
  });

  jest.setTimeout(60_000);

  it("publishes settlement's head once per ended Shanghai day and keeps it", async () => {
    const ds = stack.svc.app.get(DataSource);
    const audit = stack.svc.app.get(AuditLogService);
    for (const id of ['A', 'B', 'C']) {
      await ds.transaction((em) => audit.record(em, { action: 'test.done', entityType: 'test', entityId: id }));
    }
    const { rows } = await stack.sql.query(
      `SELECT max(id) AS id, to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today FROM audit_log`,
    );
    const head = (await stack.sql.query(`SELECT hash, occurred_at FROM audit_log WHERE id = $1`, [rows[0].id])).rows[0];
    const publisher = stack.svc.app.get(AuditChainHeadsPublisher);

    expect(await publisher.publishDue()).toEqual([]); // today has not ended
    const later = new Date(Date.now() + 2 * 86_400_000);
    clock.now = () => later;
    const published = await publisher.publishDue();
    expect(published[0]).toMatchObject({
      service: 'settlement',
      day: rows[0].today,
      lastId: String(rows[0].id),
      headHash: head.hash,
    });
    expect(published[0].count).toBeGreaterThanOrEqual(3);
    expect(published[1]).toMatchObject({ count: 0, lastId: String(rows[0].id), headHash: head.hash });
    expect(published).toHaveLength(2);
    expect(await publisher.publishDue()).toEqual([]); // once per day

    const { rows: outbox } = await stack.sql.query(
      `SELECT count(*)::int AS n FROM outbox_messages WHERE type = 'SettlementAuditChainHeadPublished'`,
    );
    expect(outbox[0].n).toBe(2);
    expect(await heads('?service=settlement')).toEqual(
      published.map((p) => ({ ...p, receivedAt: expect.any(String) })),
    );
  });

  it('keeps the heads other services publish, once per service and day', async () => {
    const payload = { service: 'dealers', day: '2026-03-31', lastId: '5000', headHash: 'a'.repeat(64), count: 412 };
    await probe.publishEvent(Topics.dealers, 'DealersAuditChainHeadPublished', AUDIT_CHAIN_KEY, payload);
    await probe.publishEvent(Topics.dealers, 'DealersAuditChainHeadPublished', AUDIT_CHAIN_KEY, {
      ...payload,
      headHash: 'b'.repeat(64),
    });
    await probe.publishEvent(Topics.returns, 'ReturnsAuditChainHeadPublished', AUDIT_CHAIN_KEY, {
      ...payload,
      service: 'returns',
      lastId: '7',
    });
    await eventually(async () => ((await heads('?from=2026-03-31&to=2026-03-31')).length === 2 ? true : undefined));
    expect(await heads('?service=dealers&from=2026-03-01&to=2026-03-31')).toEqual([
      { ...payload, receivedAt: expect.any(String) },
    ]);
    const denied = await request(stack.svc.url).get('/v1/audit-chain-heads').set(bearer('dealer', 'D001'));
    expect(denied.status).toBe(403);
  });
});
