import { randomUUID } from 'node:crypto';
import { canonicalJson, sha256Hex } from '@app/kernel';

/** The previous hash of the first entry of a service's chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry its hash covers (as stored; id a bigint as a string). */
export interface AuditChainContent {
  id: string;
  occurredAt: Date | string;
  actor: string;
  role: string;
  dealerCode: string | null;
  requestId: string | null;
  correlationId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  details: Record<string, unknown>;
}

/**
 * The text an entry's hash is taken over: canonical JSON (keys sorted at every depth, no
 * whitespace) of its content fields, occurredAt as an ISO instant in UTC, and the previous
 * entry's hash. scripts/verify-audit-log.mjs writes the same text.
 */
export function auditChainText(entry: AuditChainContent, prevHash: string): string {
  return chainText(entry, String(entry.id), new Date(entry.occurredAt).toISOString(), prevHash);
}

/** The fields of an entry the database completes when it chains it: id, instant, previous hash. */
export type AuditChainFields = Omit<AuditChainContent, 'id' | 'occurredAt'>;

/**
 * The chain text of an entry whose id, instant and previous hash are not known yet, as the four
 * pieces around them: text = pieces[0] + id + pieces[1] + occurredAt (ISO, UTC, milliseconds) +
 * pieces[2] + prevHash + pieces[3]. The database joins them under the head's lock and hashes the
 * result (AuditChainRepository.append), the same text as auditChainText.
 */
export function auditChainTextPieces(fields: AuditChainFields): [string, string, string, string] {
  // Marks no content can hold by chance (a fresh random UUID), and that JSON leaves as they are.
  const mark = `~${randomUUID()}~`;
  const text = chainText(fields, `${mark}id`, `${mark}at`, `${mark}prev`);
  const [head, rest] = text.split(`${mark}id`);
  const [middle, tail] = rest.split(`${mark}at`);
  const [before, after] = tail.split(`${mark}prev`);
  return [head, middle, before, after];
}

function chainText(fields: AuditChainFields, id: string, occurredAt: string, prevHash: string): string {
  return canonicalJson({
    id,
    occurredAt,
    actor: fields.actor,
    role: fields.role,
    dealerCode: fields.dealerCode ?? null,
    requestId: fields.requestId ?? null,
    correlationId: fields.correlationId ?? null,
    action: fields.action,
    entityType: fields.entityType,
    entityId: fields.entityId,
    details: fields.details ?? {},
    prevHash,
  });
}

/** SHA-256 (hex) of the entry chained to the previous entry's hash. */
export function auditEntryHash(entry: AuditChainContent, prevHash: string): string {
  return sha256Hex(auditChainText(entry, prevHash));
}

/**
 * CONTENT_CHANGED: the entry's content no longer gives its hash; LINK_BROKEN: it does not link to
 * the entry before; ENTRY_MISSING: entries before it were removed; PUBLISHED_HEAD_DIFFERS: its
 * hash is not the daily chain head published for it.
 */
export const CHAIN_BREAKS = ['CONTENT_CHANGED', 'LINK_BROKEN', 'ENTRY_MISSING', 'PUBLISHED_HEAD_DIFFERS'] as const;
export type ChainBreak = (typeof CHAIN_BREAKS)[number];

export interface ChainedEntry extends AuditChainContent {
  prevHash: string;
  hash: string;
}

/** Where the chain stands before an entry: the id and hash of the entry before it. */
export interface ChainPosition {
  id: string;
  hash: string;
}

/** Before the first entry. */
export const GENESIS_POSITION: ChainPosition = Object.freeze({ id: '0', hash: GENESIS_HASH });

export interface ChainMismatch {
  /** The entry that does not match; for ENTRY_MISSING the first id missing. */
  id: string;
  reason: ChainBreak;
  /** CONTENT_CHANGED: the recomputed hash; otherwise the hash the entry should link to. */
  expectedHash: string;
  /** CONTENT_CHANGED: the stored hash; otherwise the stored prev_hash. */
  storedHash: string;
}

/**
 * Checks one entry against the position before it. A link to a hash other than the previous
 * entry's is a missing entry when ids skip, a broken link otherwise; ids that skip with an
 * intact link (sequence numbers of rolled-back transactions before the chain existed) are fine.
 */
export function checkChainedEntry(before: ChainPosition, entry: ChainedEntry): ChainMismatch | null {
  if (entry.prevHash !== before.hash) {
    const expectedId = (BigInt(before.id) + 1n).toString();
    const gap = expectedId !== String(entry.id);
    return {
      id: gap ? expectedId : String(entry.id),
      reason: gap ? 'ENTRY_MISSING' : 'LINK_BROKEN',
      expectedHash: before.hash,
      storedHash: entry.prevHash,
    };
  }
  const recomputed = auditEntryHash(entry, entry.prevHash);
  if (recomputed !== entry.hash) {
    return { id: String(entry.id), reason: 'CONTENT_CHANGED', expectedHash: recomputed, storedHash: entry.hash };
  }
  return null;
}

/** An audit_log row as pg returns it. */
export interface StoredAuditRow {
  id: string;
  occurred_at: Date;
  actor: string;
  role: string;
  dealer_code: string | null;
  request_id: string | null;
  correlation_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  details: Record<string, unknown>;
  prev_hash: string | null;
  hash: string | null;
}

export function chainedEntryOfRow(row: StoredAuditRow): ChainedEntry {
  return {
    id: String(row.id),
    occurredAt: row.occurred_at,
    actor: row.actor,
    role: row.role,
    dealerCode: row.dealer_code,
    requestId: row.request_id,
    correlationId: row.correlation_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    details: row.details,
    prevHash: row.prev_hash ?? '',
    hash: row.hash ?? '',
  };
}
