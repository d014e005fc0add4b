import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PLATFORM_TEST_SECRET, PlatformTestApp, startPlatformTestApp } from '@app/testing';
import { issueToken } from '../auth/issue-token';
import { auditEntryHash, chainedEntryOfRow } from './audit-chain';
import { AuditLogService } from './audit-log.service';

const SCRIPT = join(__dirname, '../../../../scripts/verify-audit-log.mjs');
const auditor = `Bearer ${issueToken(PLATFORM_TEST_SECRET, { sub: 'auditor-1', role: 'auditor' })}`;

describe('audit log hash chain (integration)', () => {
  let t: PlatformTestApp;
  let ds: DataSource;

  const record = (i: number) =>
    ds.transaction((em) =>
      t.app.get(AuditLogService).record(em, {
        action: 'thing.changed',
        entityType: 'thing',
        entityId: `T-${i}`,
        dealerCode: i % 3 ? 'D001' : null,
        details: { i: String(i), note: '审计 · audit', nested: { list: [i, null, { b: '2', a: '1' }] } },
      }),
    );
  const verify = async (query = '') => {
    const res = await t.http.get(`/v1/audit-log/verification${query}`).set('Authorization', auditor);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** What a superuser can do: switch the append-only trigger off for one change. */
  const behindTheBack = async (statement: string, params: unknown[]) => {
    await t.sql.query('BEGIN');
    await t.sql.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await t.sql.query(statement, params);
    await t.sql.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    await t.sql.query('COMMIT');
  };

  beforeAll(async () => {
    t = await startPlatformTestApp({ dbPrefix: 'audit_chain', service: 'dealers', migrations: [], controllers: [] });
    ds = t.app.get(DataSource);
  }, 60_000);

  afterAll(() => t?.close());

  it('chains entries written by concurrent transactions into one gap-free line and verifies it', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => record(i + 1)));
    const { rows } = await t.sql.query(`SELECT id, prev_hash, hash FROM audit_log ORDER BY id`);
    expect(rows.map((r) => Number(r.id))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(rows[0].prev_hash).toBe('0'.repeat(64));
    rows.slice(1).forEach((r, i) => expect(r.prev_hash).toBe(rows[i].hash));
    expect(await verify()).toEqual({
      ok: true,
      checked: 40,
      firstId: '1',
      lastId: '40',
      headHash: rows[39].hash,
      mismatch: null,
    });
    expect(await verify('?fromId=11&toId=20')).toMatchObject({ ok: true, checked: 10, firstId: '11', lastId: '20' });
  });

  it('exports a segment as JSON Lines that the offline script verifies, and the script finds a changed line', async () => {
    const res = await t.http.get('/v1/audit-log/export?fromId=5&toId=30').set('Authorization', auditor);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = res.text.trim().split('\n');
    expect(lines).toHaveLength(26);
    const dir = mkdtempSync(join(tmpdir(), 'audit-export-'));
    const run = (text: string[], ...args: string[]) => {
      const file = join(dir, `${Math.random().toString(36).slice(2)}.jsonl`);
      writeFileSync(file, text.join('\n') + '\n');
      const out = spawnSync(process.execPath, [SCRIPT, file, ...args], { encoding: 'utf8' });
      return { status: out.status, result: JSON.parse(out.stdout) };
    };
    const anchor = (await t.sql.query(`SELECT hash FROM audit_log WHERE id = 4`)).rows[0].hash;
    expect(run(lines, '--anchor', anchor)).toMatchObject({
      status: 0,
      result: { ok: true, checked: 26, lastId: '30' },
    });
    const changed = JSON.parse(lines[7]);
    changed.details.i = '999';
    lines[7] = JSON.stringify(changed);
    expect(run(lines, '--anchor', anchor)).toMatchObject({
      status: 1,
      result: { ok: false, mismatch: { id: '12', reason: 'CONTENT_CHANGED', storedHash: changed.hash } },
    });
  });

  it('names the entry whose details a superuser changed, and is ok again once they are restored', async () => {
    const { rows } = await t.sql.query(`SELECT details, hash FROM audit_log WHERE id = 17`);
    await behindTheBack(`UPDATE audit_log SET details = jsonb_set(details, '{i}', '"1700"') WHERE id = 17`, []);
    const result = await verify();
    expect(result).toMatchObject({ ok: false, checked: 17, lastId: '17' });
    expect(result.mismatch).toMatchObject({ id: '17', reason: 'CONTENT_CHANGED', storedHash: rows[0].hash });
    expect(result.mismatch.expectedHash).not.toBe(rows[0].hash);
    expect(await verify('?fromId=18')).toMatchObject({ ok: true, checked: 23 });

    await behindTheBack(`UPDATE audit_log SET details = $1 WHERE id = 17`, [rows[0].details]);
    expect(await verify()).toMatchObject({ ok: true, checked: 40 });
  });

  it('names a deleted entry as missing, in the middle of the log and at its end', async () => {
    const { rows } = await t.sql.query(`SELECT id, hash FROM audit_log WHERE id IN (22, 23, 40) ORDER BY id`);
    await behindTheBack(`DELETE FROM audit_log WHERE id = 23`, []);
    expect((await verify()).mismatch).toEqual({
      id: '23',
      reason: 'ENTRY_MISSING',
      expectedHash: rows[0].hash,
      storedHash: rows[1].hash,
    });
    // A segment starting right after the gap links to the entry before the gap, and shows it too.
    expect((await verify('?fromId=24')).mismatch).toMatchObject({ id: '23', reason: 'ENTRY_MISSING' });
    expect((await verify('?fromId=25')).ok).toBe(true);

    await behindTheBack(`DELETE FROM audit_log WHERE id = 40`, []);
    expect(await verify('?fromId=30')).toMatchObject({
      ok: false,
      lastId: '39',
      mismatch: { id: '40', reason: 'ENTRY_MISSING', expectedHash: rows[2].hash },
    });
  });

  it('answers auditors, admins and finance only, and names a malformed bound', async () => {
    const dealer = `Bearer ${issueToken(PLATFORM_TEST_SECRET, { sub: 'd', role: 'dealer', dealer: 'D001' })}`;
    expect((await t.http.get('/v1/audit-log/verification').set('Authorization', dealer)).status).toBe(403);
    const bad = await t.http.get('/v1/audit-log/verification?fromId=x').set('Authorization', auditor);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'fromId' })]);
  });

  it('the hash PostgreSQL takes when it chains an entry is the one the chain text gives, for any content', async () => {
    const details = {
      quote: 'a "quoted" \\ back\\slash',
      lines: 'one\ntwo\ttab',
      emoji: '🚲 电动车',
      amount: '1280.50',
      number: 1.5,
      nothing: null,
      nested: { z: [3, { y: '二', x: true }], a: {} },
    };
    const row = await ds.transaction((em) =>
      t.app.get(AuditLogService).record(em, { action: 'thing.odd', entityType: 'thing', entityId: 'T-odd', details }),
    );
    const { rows } = await t.sql.query(`SELECT * FROM audit_log WHERE id = $1`, [row!.id]);
    const stored = rows[0];
    expect(stored.hash).toBe(auditEntryHash(chainedEntryOfRow(stored), stored.prev_hash));
    expect(row).toMatchObject({ id: stored.id, prevHash: stored.prev_hash, hash: stored.hash });
  });
});
