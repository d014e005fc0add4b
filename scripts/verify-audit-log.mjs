#!/usr/bin/env node
// Verifies an exported audit-log segment offline (GET /v1/audit-log/export, JSON Lines).
//
//   node scripts/verify-audit-log.mjs segment.jsonl [--anchor <hash of the entry before the first>] [--head <hash>]
//
// Each line's hash must be SHA-256 over the canonical JSON (keys sorted at every depth, no whitespace)
// of its content and prevHash, and each prevHash the hash of the line before. Without --anchor the
// first line's prevHash is taken as given (64 zeros for a segment from the first entry). --head: the
// daily chain head (settlement's GET /v1/audit-chain-heads) the last line must carry.
// Prints the first entry that does not match and exits 1; prints the head and exits 0 when all match.
// Plain Node (18+), no dependencies: the same text as libs/platform/src/audit/audit-chain.ts.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

function canonicalize(value) {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)));
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) out[key] = canonicalize(value[key]);
    }
    return out;
  }
  return value;
}

function entryHash(entry, prevHash) {
  const text = JSON.stringify(
    canonicalize({
      id: String(entry.id),
      occurredAt: new Date(entry.occurredAt).toISOString(),
      actor: entry.actor,
      role: entry.role,
      dealerCode: entry.dealerCode ?? null,
      requestId: entry.requestId ?? null,
      correlationId: entry.correlationId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      details: entry.details ?? {},
      prevHash,
    }),
  );
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function check(before, entry) {
  if (before && entry.prevHash !== before.hash) {
    const missing = String(BigInt(before.id) + 1n) !== String(entry.id);
    return {
      id: missing ? String(BigInt(before.id) + 1n) : String(entry.id),
      reason: missing ? 'ENTRY_MISSING' : 'LINK_BROKEN',
      expectedHash: before.hash,
      storedHash: entry.prevHash,
    };
  }
  const expected = entryHash(entry, entry.prevHash);
  if (expected !== entry.hash) {
    return { id: String(entry.id), reason: 'CONTENT_CHANGED', expectedHash: expected, storedHash: entry.hash };
  }
  return null;
}

async function verify(file, anchor, head) {
  let before = null;
  let checked = 0;
  let line = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    line += 1;
    if (!text.trim()) continue;
    let entry;
    try {
      entry = JSON.parse(text);
    } catch {
      return { ok: false, checked, line, mismatch: { reason: 'NOT_JSON' } };
    }
    if (before === null && anchor) before = { id: String(BigInt(entry.id) - 1n), hash: anchor };
    const mismatch = check(before, entry);
    checked += 1;
    if (mismatch) return { ok: false, checked, line, mismatch };
    before = { id: String(entry.id), hash: entry.hash };
  }
  if (head && before && before.hash !== head) {
    return {
      ok: false,
      checked,
      line,
      mismatch: { id: before.id, reason: 'HEAD_DIFFERS', expectedHash: head, storedHash: before.hash },
    };
  }
  return { ok: true, checked, lastId: before?.id ?? null, headHash: before?.hash ?? anchor ?? null };
}

function option(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !['--anchor', '--head'].includes(args[i - 1]));
if (!file) {
  process.stderr.write('usage: node scripts/verify-audit-log.mjs <segment.jsonl> [--anchor <hash>] [--head <hash>]\n');
  process.exit(2);
}
const result = await verify(file, option(args, '--anchor'), option(args, '--head'));
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.ok ? 0 : 1);
