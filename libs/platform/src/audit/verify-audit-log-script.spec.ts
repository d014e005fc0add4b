import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditChainContent, auditEntryHash, GENESIS_HASH } from './audit-chain';

const SCRIPT = join(__dirname, '../../../../scripts/verify-audit-log.mjs');
const dir = mkdtempSync(join(tmpdir(), 'audit-chain-'));

const contents: AuditChainContent[] = [
  { details: {} },
  { details: { reason: '型号不符 model mismatch', amount: '-412.50', nested: { list: [1, '2', null], 键: '值' } } },
  { details: { empty: {}, flags: ['DUPLICATE_PHONE'], 'quote"key': 'tab\tend' } },
  { details: { n: 0.1, big: 12345678901234 } },
].map((over, i) => ({
  id: String(i + 1),
  occurredAt: new Date(Date.UTC(2026, 2, 31, 15, 59, i, 7)),
  actor: i % 2 ? 'system' : 'admin-王',
  role: i % 2 ? 'system' : 'admin',
  dealerCode: i % 2 ? null : 'D001',
  requestId: i % 2 ? null : `req-${i}`,
  correlationId: null,
  action: 'warranty-cards.submitted',
  entityType: 'warranty-card-batch',
  entityId: `b-${i}`,
  ...over,
}));

/** The lines GET /v1/audit-log/export writes, chained with the service's hashing. */
function exported(): string[] {
  let prevHash = GENESIS_HASH;
  return contents.map((c) => {
    const hash = auditEntryHash(c, prevHash);
    const line = JSON.stringify({ ...c, occurredAt: new Date(c.occurredAt).toISOString(), prevHash, hash });
    prevHash = hash;
    return line;
  });
}

function run(lines: string[], ...args: string[]) {
  const file = join(dir, `segment-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  const out = spawnSync(process.execPath, [SCRIPT, file, ...args], { encoding: 'utf8' });
  return { status: out.status, result: JSON.parse(out.stdout) as Record<string, any> };
}

describe('scripts/verify-audit-log.mjs', () => {
  it('agrees with the service on every hash (nested details, Chinese, numbers, nulls) and prints the head', () => {
    const lines = exported();
    const { status, result } = run(lines);
    expect(status).toBe(0);
    expect(result).toEqual({ ok: true, checked: 4, lastId: '4', headHash: JSON.parse(lines[3]).hash });
  });

  it('names a changed line with the hash it recomputes', () => {
    const lines = exported();
    const changed = JSON.parse(lines[1]);
    changed.details.amount = '-41.25';
    lines[1] = JSON.stringify(changed);
    const { status, result } = run(lines);
    expect(status).toBe(1);
    expect(result.mismatch).toEqual({
      id: '2',
      reason: 'CONTENT_CHANGED',
      expectedHash: auditEntryHash(changed, changed.prevHash),
      storedHash: changed.hash,
    });
  });

  it('names a removed line as missing, and checks the first line against an anchor and the last against a head', () => {
    const lines = exported();
    expect(run([lines[0], lines[2], lines[3]]).result.mismatch).toMatchObject({ id: '2', reason: 'ENTRY_MISSING' });
    expect(run(lines.slice(1), '--anchor', JSON.parse(lines[0]).hash).status).toBe(0);
    expect(run(lines.slice(1), '--anchor', 'a'.repeat(64)).result.mismatch).toMatchObject({
      id: '2',
      reason: 'LINK_BROKEN',
    });
    expect(run(lines, '--head', 'b'.repeat(64)).result.mismatch).toMatchObject({ id: '4', reason: 'HEAD_DIFFERS' });
  });
});
