import request from 'supertest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { addDays, shanghaiDate } from '@app/kernel';
import { Clock } from '@app/platform';
import { agreementRequest, bearer, dealerRegistration, eventually, people, RunningService } from '@app/testing';
import { BRAKE_PADS_AND_CONTROLLER, setPartPrices } from './support/prices';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(180_000);

const SCRIPT = join(__dirname, '../scripts/verify-audit-log.mjs');
const finance = people.financeAlice;
const afterSales = people.afterSalesWang;
const auditor = people.auditorCarol;
const dealerD001 = bearer('dealer', 'D001', 'd001-user');

interface ExportedEntry {
  id: string;
  occurredAt: string;
  action: string;
  details: Record<string, any>;
  prevHash: string;
  hash: string;
}

const exportDir = mkdtempSync(join(tmpdir(), 'audit-trail-e2e-'));

/** GET /v1/audit-log/export as the auditor, saved to a file as a user would with curl. */
async function exportLog(svc: RunningService): Promise<{ file: string; entries: ExportedEntry[] }> {
  const res = await request(svc.url).get('/v1/audit-log/export').set(auditor).buffer(true);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
  const file = join(exportDir, `${svc.name}-${Date.now()}.jsonl`);
  writeFileSync(file, res.text);
  return {
    file,
    entries: res.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportedEntry),
  };
}

/** node scripts/verify-audit-log.mjs <file> [args], as documented in docs/audit-chain.md. */
function verifyOffline(file: string, ...args: string[]): { status: number | null; result: Record<string, any> } {
  const out = spawnSync(process.execPath, [SCRIPT, file, ...args], { encoding: 'utf8' });
  return { status: out.status, result: JSON.parse(out.stdout) };
}

/**
 * Issue 17 part 2 end to end: users change things through the public APIs, an auditor verifies
 * each service's hash-chained audit log, exports it and verifies it offline, sees a day's chain
 * head kept by settlement, and finds the one entry a superuser changed behind the application's back.
 */
describe('the tamper-evident audit trail through the public HTTP APIs', () => {
  let sys: TestSystem;
  let dealersSql: Client;
  let dealersClock: Clock;
  /** The dealers log as exported before anything was altered. */
  let original: { file: string; entries: ExportedEntry[] };

  const verification = async (svc: RunningService, query = '') => {
    const res = await request(svc.url).get(`/v1/audit-log/verification${query}`).set(auditor);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Every entry of a service's log through GET /v1/audit-log, newest first. */
  const listed = async (svc: RunningService) => {
    const res = await request(svc.url).get('/v1/audit-log').query({ limit: 500 }).set(auditor);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.items as Array<{ id: string; action: string; entityType: string; entityId: string }>;
  };

  beforeAll(async () => {
    // Dealers looks for ended days to publish every half second (in production every 10 minutes).
    sys = await startSystem({ env: { dealers: { AUDIT_CHAIN_HEAD_MS: '500' } } });
    dealersClock = sys.dealers.app.get(Clock, { strict: false });
    dealersSql = new Client({ connectionString: sys.dealers.config.databaseUrl });
    await dealersSql.connect();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await dealersSql?.end();
    await sys?.stop();
  });

  it('users change things through the APIs: a dealer, its agreement, warranty cards, prices and a requisition', async () => {
    await request(sys.dealers.url).post('/v1/dealers').set(finance).send(dealerRegistration()).expect(201);
    await request(sys.dealers.url)
      .put('/v1/product-models/EB-100')
      .set(finance)
      .send({ name: '电动自行车 EB-100' })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await request(sys.dealers.url)
      .post('/v1/dealers/D001/agreements')
      .set(finance)
      .send(agreementRequest())
      .expect(201);
    const cards = [1, 2, 3].map((i) => ({
      serial: `EB100-AUDIT-${i}`,
      model: 'EB-100',
      saleDate: '2026-01-10',
      outlet: 'D001',
      consumerName: '李四',
      phone: `1390000000${i}`,
      address: '上海市浦东新区',
    }));
    const submitted = await request(sys.dealers.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(dealerD001)
      .send({ cards });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ accepted: 3, rejected: 0 });

    await eventually(async () => {
      const res = await request(sys.requisitions.url).get('/v1/dealer-directory/D001').set(finance);
      return res.status === 200 && res.body.agreements.length === 1 ? true : undefined;
    }, 60_000);
    await setPartPrices(sys.requisitions.url, afterSales, BRAKE_PADS_AND_CONTROLLER);
    const filed = await request(sys.requisitions.url)
      .post('/v1/requisitions')
      .set(dealerD001)
      .send({ urgent: false, lines: [{ partNo: 'BP-01', quantity: 4, purpose: 'STOCK' }] });
    expect(filed.status).toBe(201);
    await request(sys.requisitions.url)
      .post(`/v1/requisitions/${filed.body.id}/approve`)
      .set(afterSales)
      .send({})
      .expect(200);
  });

  it("an auditor verifies the dealers and requisitions logs: ok over every entry, up to the log's last", async () => {
    for (const [svc, actions] of [
      [sys.dealers, ['dealer.registered', 'agreement.version-set', 'warranty-cards.submitted']],
      [sys.requisitions, ['requisition.filed']],
    ] as const) {
      const entries = await listed(svc);
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining([...actions]));
      const result = await verification(svc);
      expect(result).toMatchObject({
        ok: true,
        checked: entries.length,
        firstId: '1',
        lastId: entries[0].id,
        mismatch: null,
      });
      expect(result.headHash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('the exported dealers log is JSON Lines that scripts/verify-audit-log.mjs accepts, ending at the head verified', async () => {
    const head = await verification(sys.dealers);
    original = await exportLog(sys.dealers);
    expect(original.entries.map((e) => e.id)).toEqual(Array.from({ length: head.checked }, (_, i) => String(i + 1)));
    expect(original.entries[0].prevHash).toBe('0'.repeat(64));
    expect(verifyOffline(original.file)).toEqual({
      status: 0,
      result: { ok: true, checked: head.checked, lastId: head.lastId, headHash: head.headHash },
    });
  });

  it("the day's dealers chain head reaches settlement once the day has ended, and the export ends at it", async () => {
    const last = original.entries[original.entries.length - 1];
    const day = shanghaiDate(new Date(last.occurredAt));
    // Two days on: the day of the entries has ended in Shanghai.
    jest.spyOn(dealersClock, 'now').mockReturnValue(new Date(`${addDays(day, 2)}T12:00:00+08:00`));
    const kept = await eventually(async () => {
      const res = await request(sys.settlement.url)
        .get('/v1/audit-chain-heads')
        .query({ service: 'dealers' })
        .set(auditor);
      return res.status === 200 ? res.body.items.find((h: { day: string }) => h.day === day) : undefined;
    }, 60_000);
    jest.mocked(dealersClock.now).mockRestore();
    expect(kept).toMatchObject({ service: 'dealers', day, lastId: last.id, headHash: last.hash });
    expect(verifyOffline(original.file, '--head', kept.headHash)).toMatchObject({ status: 0, result: { ok: true } });
    expect(verifyOffline(original.file, '--head', 'f'.repeat(64))).toMatchObject({
      status: 1,
      result: { mismatch: { id: last.id, reason: 'HEAD_DIFFERS' } },
    });
    // Verification now also holds the entry to the head published for its day.
    expect(await verification(sys.dealers)).toMatchObject({ ok: true, lastId: last.id });
  });

  it("a superuser raises the agreement's rate in its audit row behind the application's back: verification and the offline script name exactly that entry", async () => {
    const [agreementEntry] = (await listed(sys.dealers)).filter((e) => e.action === 'agreement.version-set');
    const before = original.entries.find((e) => e.id === agreementEntry.id)!;
    expect(before.details.terms.unitRate).toBe('15.00');

    await dealersSql.query('BEGIN');
    await dealersSql.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await dealersSql.query(
      `UPDATE audit_log SET details = jsonb_set(details, '{terms,unitRate}', '"25.00"') WHERE id = $1`,
      [agreementEntry.id],
    );
    await dealersSql.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    await dealersSql.query('COMMIT');

    const result = await verification(sys.dealers);
    expect(result).toMatchObject({
      ok: false,
      checked: Number(agreementEntry.id),
      lastId: agreementEntry.id,
      mismatch: { id: agreementEntry.id, reason: 'CONTENT_CHANGED', storedHash: before.hash },
    });
    expect(result.mismatch.expectedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.mismatch.expectedHash).not.toBe(before.hash);
    // Only that entry: the entries after it still verify.
    const after = String(Number(agreementEntry.id) + 1);
    expect(await verification(sys.dealers, `?fromId=${after}`)).toMatchObject({
      ok: true,
      checked: original.entries.length - Number(agreementEntry.id),
    });

    const tampered = await exportLog(sys.dealers);
    expect(tampered.entries.find((e) => e.id === agreementEntry.id)!.details.terms.unitRate).toBe('25.00');
    expect(verifyOffline(tampered.file)).toEqual({
      status: 1,
      result: {
        ok: false,
        checked: Number(agreementEntry.id),
        line: Number(agreementEntry.id),
        mismatch: {
          id: agreementEntry.id,
          reason: 'CONTENT_CHANGED',
          expectedHash: result.mismatch.expectedHash,
          storedHash: before.hash,
        },
      },
    });
  });

  it('a dealer may not verify or export the log', async () => {
    for (const path of ['/v1/audit-log/verification', '/v1/audit-log/export']) {
      expect((await request(sys.dealers.url).get(path).set(dealerD001)).status).toBe(403);
    }
  });
});
