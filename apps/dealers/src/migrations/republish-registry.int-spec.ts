import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DealerRegisteredPayload, AgreementVersionSetPayload, Topics, validateEvent } from '@app/contracts';
import { HEADER_EVENT_SEQ, messagingMigrations } from '@app/messaging';
import { PLATFORM_MIGRATIONS } from '@app/platform';
import {
  agreementTerms,
  createTestDatabase,
  eventually,
  KafkaProbe,
  MockBroker,
  RunningService,
  startMockBroker,
  startTestService,
  TestDatabase,
} from '@app/testing';
import { DealersAppModule, dealersMigrations } from '../dealers-app.module';
import { RepublishRegistry1768000000000 } from './1768000000000-republish-registry';

jest.setTimeout(90_000);

const ALL = [...PLATFORM_MIGRATIONS, ...messagingMigrations, ...dealersMigrations];
/** What a dealers database had run before the registry got its topic. */
const BEFORE = ALL.filter((m) => m !== RepublishRegistry1768000000000);

const migrated = async (url: string, migrations: typeof ALL): Promise<void> => {
  const ds = await new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTransactionMode: 'each',
  }).initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
};

const TERMS_V1 = agreementTerms();
const TERMS_V2 = agreementTerms({ unitRate: '17.50', modelRates: [{ model: 'EB-200', rate: '20.00' }] });

describe('RepublishRegistry migration: the whole registry enqueued on dealers.registry.v1', () => {
  let db: TestDatabase;
  let sql: Client;

  beforeAll(async () => {
    db = await createTestDatabase('int_dealers_republish');
    await migrated(db.url, BEFORE);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    // As the previous version left it: dealers, their versions, and their events already sent on the old topic.
    await sql.query(
      `INSERT INTO dealers (code, name, region, status) VALUES
         ('D002', '杭州车行', NULL, 'ACTIVE'), ('D001', '上海永安车行', '华东', 'ACTIVE'), ('D003', 'Dealer D003', 'North', 'SUSPENDED')`,
    );
    await sql.query(
      `INSERT INTO agreements (dealer_code, version, effective_from, terms, created_by) VALUES
         ('D001', 2, '2026-04-01', $2::jsonb, 'finance-alice'), ('D001', 1, '2026-01-01', $1::jsonb, 'finance-alice'),
         ('D002', 1, '2026-02-01', $1::jsonb, 'finance-alice')`,
      [JSON.stringify(TERMS_V1), JSON.stringify(TERMS_V2)],
    );
    await sql.query(
      `INSERT INTO outbox_messages (event_id, topic, message_key, type, version, envelope, headers, published_at)
       VALUES (gen_random_uuid(), $1, 'D001', 'DealerRegistered', 1, '{}'::json, '{}'::jsonb, now())`,
      [Topics.dealers],
    );
    await migrated(db.url, ALL);
  });

  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  const republished = async () =>
    (
      await sql.query(
        `SELECT event_id, topic, message_key, type, version, envelope, headers, partition, seq, published_at
         FROM outbox_messages WHERE topic = $1 ORDER BY id`,
        [Topics.dealerRegistry],
      )
    ).rows;

  it('enqueues one DealerRegistered per dealer (its current state) and one AgreementVersionSet per stored version, per dealer in order', async () => {
    const rows = await republished();
    expect(rows.map((r) => [r.message_key, r.type, r.envelope.payload.version ?? null])).toEqual([
      ['D001', 'DealerRegistered', null],
      ['D001', 'AgreementVersionSet', 1],
      ['D001', 'AgreementVersionSet', 2],
      ['D002', 'DealerRegistered', null],
      ['D002', 'AgreementVersionSet', 1],
      ['D003', 'DealerRegistered', null],
    ]);
    const payloads = rows.map((r) => r.envelope.payload);
    expect(payloads[0]).toEqual<DealerRegisteredPayload>({
      code: 'D001',
      name: '上海永安车行',
      region: '华东',
      status: 'ACTIVE',
    });
    expect(payloads[3]).toEqual({ code: 'D002', name: '杭州车行', region: null, status: 'ACTIVE' });
    expect(payloads[5]).toMatchObject({ code: 'D003', status: 'SUSPENDED' });
    expect(payloads[2]).toEqual<AgreementVersionSetPayload>({
      dealerCode: 'D001',
      version: 2,
      effectiveFrom: '2026-04-01',
      terms: TERMS_V2,
    });
    expect(payloads[4]).toMatchObject({ dealerCode: 'D002', version: 1, effectiveFrom: '2026-02-01' });
    // The old topic's rows are left as they were.
    const { rows: old } = await sql.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE topic = $1`, [
      Topics.dealers,
    ]);
    expect(old[0].n).toBe(1);
  });

  it('writes rows as OutboxService.enqueue does: valid envelopes, keyed by dealer, typed headers, left for the relay', async () => {
    const rows = await republished();
    const correlationIds = new Set<string>();
    for (const r of rows) {
      const checked = validateEvent(r.envelope);
      if (!checked.ok) throw new Error(checked.reason);
      expect(checked.definition.topic).toBe(Topics.dealerRegistry);
      expect(r.envelope).toMatchObject({
        eventId: r.event_id,
        type: r.type,
        version: 1,
        producer: 'dealers',
        dealerCode: r.message_key,
        causationId: null,
      });
      expect(new Date(r.envelope.occurredAt).toISOString()).toBe(r.envelope.occurredAt);
      expect(r.headers).toEqual({
        'event-id': r.event_id,
        'event-type': r.type,
        'event-version': '1',
        'correlation-id': r.envelope.correlationId,
      });
      expect([r.partition, r.seq, r.published_at]).toEqual([null, null, null]);
      correlationIds.add(r.envelope.correlationId);
    }
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    expect(correlationIds.size).toBe(1);
  });

  it('runs once: migrating again adds nothing', async () => {
    await migrated(db.url, ALL);
    expect(await republished()).toHaveLength(6);
  });

  describe('once the service runs', () => {
    let broker: MockBroker;
    let svc: RunningService;
    let probe: KafkaProbe;

    beforeAll(async () => {
      broker = await startMockBroker();
      svc = await startTestService('dealers', (c) => DealersAppModule.register(c), {
        databaseUrl: db.url,
        brokers: broker.brokers,
      });
      probe = new KafkaProbe(broker.brokers);
    });

    afterAll(async () => {
      await probe?.close();
      await svc?.close();
      await broker?.stop();
    });

    it('the relay sends them on dealers.registry.v1 with their sequence numbers, the dealer as key', async () => {
      const seen = await probe.collect(Topics.dealerRegistry);
      await eventually(async () => (seen.length === 6 ? true : undefined), 30_000);
      const rows = await republished();
      expect(rows.every((r) => r.published_at !== null && r.seq !== null)).toBe(true);
      expect(seen.map((m) => JSON.parse(m.value!).eventId).sort()).toEqual(rows.map((r) => r.event_id).sort());
      for (const m of seen) {
        expect(m.key).toBe(JSON.parse(m.value!).dealerCode);
        expect(m.headers[HEADER_EVENT_SEQ]).toMatch(/^[1-9][0-9]*$/);
      }
      // One dealer's registration precedes its versions in its partition.
      const d001 = seen.filter((m) => m.key === 'D001').map((m) => JSON.parse(m.value!));
      expect(d001.map((e) => [e.type, e.payload.version ?? null])).toEqual([
        ['DealerRegistered', null],
        ['AgreementVersionSet', 1],
        ['AgreementVersionSet', 2],
      ]);
    });
  });
});

describe('RepublishRegistry migration on a fresh database', () => {
  it('writes nothing', async () => {
    const db = await createTestDatabase('int_dealers_republish_empty');
    try {
      await migrated(db.url, ALL);
      const sql = new Client({ connectionString: db.url });
      await sql.connect();
      try {
        const { rows } = await sql.query(`SELECT count(*)::int AS n FROM outbox_messages`);
        expect(rows[0].n).toBe(0);
        const ran = await sql.query(`SELECT 1 FROM migrations WHERE name = $1`, [RepublishRegistry1768000000000.name]);
        expect(ran.rowCount).toBe(1);
      } finally {
        await sql.end();
      }
    } finally {
      await db.drop();
    }
  });
});
