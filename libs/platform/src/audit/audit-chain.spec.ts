import { createHash } from 'node:crypto';
import {
  AuditChainContent,
  auditChainText,
  auditChainTextPieces,
  auditEntryHash,
  checkChainedEntry,
  ChainedEntry,
  GENESIS_HASH,
} from './audit-chain';

const entry = (over: Partial<AuditChainContent> = {}): AuditChainContent => ({
  id: '7',
  occurredAt: new Date('2026-03-31T15:59:59.123Z'),
  actor: 'finance-李',
  role: 'finance',
  dealerCode: null,
  requestId: 'req-1',
  correlationId: null,
  action: 'statement.approved',
  entityType: 'statement',
  entityId: 'S-1',
  details: { z: { b: '1.10', a: ['二', { y: null, x: 1 }] }, amount: '1280.00', note: '经销商 "甲"\n' },
  ...over,
});

const chain = (contents: AuditChainContent[]): ChainedEntry[] => {
  let prev = GENESIS_HASH;
  return contents.map((c) => {
    const hash = auditEntryHash(c, prev);
    const chained = { ...c, prevHash: prev, hash };
    prev = hash;
    return chained;
  });
};

describe('audit chain hashing', () => {
  it('hashes canonical JSON: keys sorted at every depth, UTC instant, nulls kept, numbers as given, unicode as is', () => {
    const text = auditChainText(entry(), GENESIS_HASH);
    expect(text).toBe(
      '{"action":"statement.approved","actor":"finance-李","correlationId":null,"dealerCode":null,' +
        '"details":{"amount":"1280.00","note":"经销商 \\"甲\\"\\n","z":{"a":["二",{"x":1,"y":null}],"b":"1.10"}},' +
        '"entityId":"S-1","entityType":"statement","id":"7","occurredAt":"2026-03-31T15:59:59.123Z",' +
        `"prevHash":"${GENESIS_HASH}","requestId":"req-1","role":"finance"}`,
    );
    expect(auditEntryHash(entry(), GENESIS_HASH)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('gives the same hash whatever the key order of details and whether the instant is a Date or Shanghai text', () => {
    const reordered = entry({
      occurredAt: '2026-03-31T23:59:59.123+08:00',
      details: { note: '经销商 "甲"\n', amount: '1280.00', z: { a: ['二', { x: 1, y: null }], b: '1.10' } },
    });
    expect(auditEntryHash(reordered, GENESIS_HASH)).toBe(auditEntryHash(entry(), GENESIS_HASH));
  });

  it('changes with any content field and with the previous hash', () => {
    const base = auditEntryHash(entry(), GENESIS_HASH);
    expect(auditEntryHash(entry({ details: { amount: '1280.01' } }), GENESIS_HASH)).not.toBe(base);
    expect(auditEntryHash(entry({ dealerCode: 'D001' }), GENESIS_HASH)).not.toBe(base);
    expect(auditEntryHash(entry(), 'f'.repeat(64))).not.toBe(base);
  });
});

describe('checkChainedEntry', () => {
  const [a, b, c] = chain([entry({ id: '1' }), entry({ id: '2' }), entry({ id: '3' })]);
  const at = (e: ChainedEntry) => ({ id: e.id, hash: e.hash });

  it('accepts an intact chain from genesis', () => {
    expect(checkChainedEntry({ id: '0', hash: GENESIS_HASH }, a)).toBeNull();
    expect(checkChainedEntry(at(a), b)).toBeNull();
    expect(checkChainedEntry(at(b), c)).toBeNull();
  });

  it('names a changed entry with its recomputed and stored hash', () => {
    const changed = { ...b, details: { amount: '1.00' } };
    expect(checkChainedEntry(at(a), changed)).toEqual({
      id: '2',
      reason: 'CONTENT_CHANGED',
      expectedHash: auditEntryHash(changed, a.hash),
      storedHash: b.hash,
    });
  });

  it('names the first missing id when an entry was removed, and a broken link when ids follow', () => {
    expect(checkChainedEntry(at(a), c)).toEqual({
      id: '2',
      reason: 'ENTRY_MISSING',
      expectedHash: a.hash,
      storedHash: b.hash,
    });
    expect(checkChainedEntry(at(a), { ...b, prevHash: 'e'.repeat(64) })).toMatchObject({
      id: '2',
      reason: 'LINK_BROKEN',
    });
  });

  it('accepts ids that skip when the link holds (sequence numbers lost before the chain existed)', () => {
    const [x, y] = chain([entry({ id: '4' }), entry({ id: '9' })]);
    expect(checkChainedEntry(at(x), y)).toBeNull();
  });

  it('the pieces around id, instant and previous hash join into the same text, whatever the content holds', () => {
    const e = entry({ details: { quote: '"~id~\\', emoji: '🚲', nested: [{ prevHash: 'x' }] }, correlationId: 'c-1' });
    const [head, middle, before, after] = auditChainTextPieces(e);
    const prev = 'ab'.repeat(32);
    expect(head + e.id + middle + '2026-03-31T15:59:59.123Z' + before + prev + after).toBe(auditChainText(e, prev));
  });
});
