import { DataSource } from 'typeorm';
import {
  createTestDatabase,
  PLATFORM_TEST_SECRET,
  PlatformTestApp,
  startPlatformTestApp,
  TestDatabase,
} from '@app/testing';
import { issueToken } from '../auth/issue-token';
import { PLATFORM_MIGRATIONS } from '../bootstrap/platform.module';
import { AuditChainContent, auditEntryHash, GENESIS_HASH } from './audit-chain';
import { PlatformAuditChain1767900000000 } from './audit-chain.migration';
import { AuditLogService } from './audit-log.service';

const auditor = `Bearer ${issueToken(PLATFORM_TEST_SECRET, { sub: 'auditor-1', role: 'auditor' })}`;

/** The platform migrations a service had run before the chain existed. */
const BEFORE_CHAIN = PLATFORM_MIGRATIONS.slice(0, PLATFORM_MIGRATIONS.indexOf(PlatformAuditChain1767900000000));

/** More than two of the migration's batches of 1,000. */
const ENTRIES = 2_345;

type OldEntry = Omit<AuditChainContent, 'id' | 'occurredAt'> & { occurredAt: Date | null };

/** What services wrote before the chain: Chinese text, nested details, nulls, odd keys; some dated long ago. */
function oldEntry(i: number): OldEntry {
  const details: Record<string, unknown>[] = [
    {},
    { name: '上海永安车行', region: '华东' },
    {
      effectiveFrom: '2026-01-01',
      terms: { unitRate: '15.00', modelRates: [{ model: 'EB-200', rate: '20.00' }], percent: null, n: 0.1 },
    },
    { reason: '型号不符 model mismatch', flags: ['PHONE_REUSED', null], nested: { z: { y: [1, { b: '2', a: '1' }] } } },
    { 'quote"key': 'tab\tline\nend', 键: '值', emoji: '🚲', empty: { list: [] } },
  ];
  return {
    actor: i % 4 === 0 ? 'system' : `finance-王${i % 3}`,
    role: i % 4 === 0 ? 'system' : 'finance',
    dealerCode: i % 5 === 0 ? null : `D${String(i % 40).padStart(3, '0')}`,
    requestId: i % 2 ? `req-${i}` : null,
    correlationId: i % 3 ? null : `corr-${i}`,
    action: 'thing.changed',
    entityType: 'thing',
    entityId: `T-${i}`,
    details: { ...details[i % details.length], i },
    // Older entries with an instant of their own (one day crossing Shanghai midnight); newer ones now().
    occurredAt: i < 1_000 ? new Date(Date.UTC(2026, 0, 5, 15, 50, 0, 0) + i * 1_001) : null,
  };
}

describe('the audit-chain migration back-fills a log written before the chain (integration)', () => {
  let db: TestDatabase;
  let t: PlatformTestApp | undefined;
  /** Each old entry with the id and instant the database gave it, in id order. */
  const stored: AuditChainContent[] = [];

  const verify = async (query = '') => {
    const res = await t!.http.get(`/v1/audit-log/verification${query}`).set('Authorization', auditor);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    db = await createTestDatabase('audit_chain_backfill');
    const old = await new DataSource({
      type: 'postgres',
      url: db.url,
      migrations: BEFORE_CHAIN,
      migrationsTransactionMode: 'each',
    }).initialize();
    try {
      await old.runMigrations();
      expect(await old.query(`SELECT name FROM migrations ORDER BY id`)).toEqual(
        BEFORE_CHAIN.map((m) => ({ name: m.name })),
      );
      const insert = (em: { query: DataSource['query'] }, e: OldEntry) =>
        em.query(
          `INSERT INTO audit_log (occurred_at, actor, role, dealer_code, request_id, correlation_id, action, entity_type, entity_id, details)
           VALUES (coalesce($1, now()), $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) RETURNING id, occurred_at`,
          [
            e.occurredAt,
            e.actor,
            e.role,
            e.dealerCode,
            e.requestId,
            e.correlationId,
            e.action,
            e.entityType,
            e.entityId,
            JSON.stringify(e.details),
          ],
        );
      for (let i = 0; i < ENTRIES; i += 1) {
        const e = oldEntry(i);
        const [row] = await insert(old, e);
        stored.push({ ...e, id: String(row.id), occurredAt: row.occurred_at });
        // A transaction rolled back after its insert leaves a hole in the ids, as it did then.
        if (i === 1_500) {
          await old
            .transaction((em) => insert(em, oldEntry(-1)).then(() => Promise.reject(new Error('rolled back'))))
            .catch((err: Error) => expect(err.message).toBe('rolled back'));
        }
      }
    } finally {
      await old.destroy();
    }
    // The service starts after the upgrade: its migrations run, the chain's among them.
    t = await startPlatformTestApp({
      dbPrefix: 'audit_chain_backfill',
      service: 'dealers',
      migrations: [],
      controllers: [],
      database: db,
    });
  }, 120_000);

  afterAll(async () => {
    if (t) await t.close();
    else await db?.drop();
  });

  it('chains every old entry in id order with the hashes the TypeScript hashing computes from what was written', async () => {
    expect(stored).toHaveLength(ENTRIES);
    expect(Number(stored[1_501].id) - Number(stored[1_500].id)).toBe(2); // the hole
    const { rows } = await t!.sql.query(`SELECT id, prev_hash, hash FROM audit_log ORDER BY id`);
    let prevHash = GENESIS_HASH;
    const expected = stored.map((entry) => {
      const hash = auditEntryHash(entry, prevHash);
      const row = { id: entry.id, prev_hash: prevHash, hash };
      prevHash = hash;
      return row;
    });
    expect(rows).toEqual(expected);
    const last = expected[expected.length - 1];
    expect((await t!.sql.query(`SELECT last_id, last_hash FROM audit_chain_head`)).rows).toEqual([
      { last_id: last.id, last_hash: last.hash },
    ]);
  });

  it('verification answers ok over all of them, and the log is append-only again', async () => {
    const last = (await t!.sql.query(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`)).rows[0];
    expect(await verify()).toEqual({
      ok: true,
      checked: ENTRIES,
      firstId: '1',
      lastId: String(last.id),
      headHash: last.hash,
      mismatch: null,
    });
    await expect(t!.sql.query(`UPDATE audit_log SET actor = 'x' WHERE id = 1`)).rejects.toThrow(/append-only/);
  });

  it('an entry written after the migration links to the last back-filled one', async () => {
    const last = stored[stored.length - 1];
    const lastHash = (await t!.sql.query(`SELECT hash FROM audit_log WHERE id = $1`, [last.id])).rows[0].hash;
    const ds = t!.app.get(DataSource);
    const written = await ds.transaction((em) =>
      t!.app.get(AuditLogService).record(em, {
        action: 'dealer.registered',
        entityType: 'dealer',
        entityId: 'D041',
        dealerCode: 'D041',
        details: { name: '杭州车行' },
      }),
    );
    expect(written).toMatchObject({ id: String(Number(last.id) + 1), prevHash: lastHash });
    expect(await verify()).toMatchObject({
      ok: true,
      checked: ENTRIES + 1,
      lastId: written!.id,
      headHash: written!.hash,
    });
    expect(await verify(`?fromId=${last.id}`)).toMatchObject({ ok: true, checked: 2 });
  });
});
