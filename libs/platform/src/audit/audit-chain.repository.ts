import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { escapeLiteral } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditChainContent,
  AuditChainFields,
  auditChainTextPieces,
  ChainPosition,
  GENESIS_POSITION,
  StoredAuditRow,
} from './audit-chain';

/** An entry with its links, as appended: its content (audit-chain.ts) at the transaction's time. */
export type NewChainedRow = AuditChainContent & { occurredAt: Date; prevHash: string; hash: string };

export interface PublishedDay {
  day: string;
  lastId: string;
  headHash: string;
  count: number;
}

const COLUMNS =
  'id, occurred_at, actor, role, dealer_code, request_id, correlation_id, action, entity_type, entity_id, details, prev_hash, hash';

/** Every SQL statement on audit_log's chain, audit_chain_head and audit_chain_days. */
@Injectable()
export class AuditChainRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Chains the entry in one statement: locks the head row (until the caller's transaction ends:
   * writers of the log queue here), takes the next id, the transaction's time and the head's hash,
   * hashes the entry's text (auditChainTextPieces joined around them), inserts it and moves the
   * head. In the caller's transaction; answers the entry as stored.
   */
  async append(em: EntityManager, fields: AuditChainFields): Promise<NewChainedRow> {
    // TypeORM answers an UPDATE as [returned rows, row count].
    const [rows]: [Array<{ id: string; occurred_at: Date; prev_hash: string; hash: string }>, number] = await em.query(
      chainStatement(fields),
    );
    if (rows.length === 0) throw new Error('audit_chain_head has no row (migration PlatformAuditChain not run)');
    const [row] = rows;
    return { ...fields, id: String(row.id), occurredAt: row.occurred_at, prevHash: row.prev_hash, hash: row.hash };
  }

  async head(): Promise<ChainPosition> {
    const rows: Array<{ last_id: string; last_hash: string }> = await this.dataSource.query(
      `SELECT last_id, last_hash FROM audit_chain_head`,
    );
    return rows.length ? { id: String(rows[0].last_id), hash: rows[0].last_hash } : GENESIS_POSITION;
  }

  /** The first id at or after an instant (null: none). */
  async firstIdFrom(from: Date): Promise<string | null> {
    const rows: Array<{ id: string | null }> = await this.dataSource.query(
      `SELECT min(id) AS id FROM audit_log WHERE occurred_at >= $1`,
      [from],
    );
    return rows[0]?.id ?? null;
  }

  /** The last id before an instant (null: none). */
  async lastIdBefore(to: Date): Promise<string | null> {
    const rows: Array<{ id: string | null }> = await this.dataSource.query(
      `SELECT max(id) AS id FROM audit_log WHERE occurred_at < $1`,
      [to],
    );
    return rows[0]?.id ?? null;
  }

  /** The entry stored last before an id (genesis when none). */
  async positionBefore(id: string): Promise<ChainPosition> {
    const rows: Array<{ id: string; hash: string }> = await this.dataSource.query(
      `SELECT id, hash FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT 1`,
      [id],
    );
    return rows.length ? { id: String(rows[0].id), hash: rows[0].hash } : GENESIS_POSITION;
  }

  /** Entries after `afterId` up to `toId` inclusive, in id order. */
  page(afterId: string, toId: string, limit: number): Promise<StoredAuditRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM audit_log WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`, [
      afterId,
      toId,
      limit,
    ]);
  }

  /** The daily heads this service published whose last entry lies in [fromId, toId]. */
  async publishedDaysBetween(fromId: string, toId: string): Promise<PublishedDay[]> {
    const rows: Array<{ day: string; last_id: string; head_hash: string; entry_count: number }> =
      await this.dataSource.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, last_id, head_hash, entry_count FROM audit_chain_days
          WHERE last_id BETWEEN $1 AND $2 ORDER BY day`,
        [fromId, toId],
      );
    return rows.map((r) => ({ day: r.day, lastId: String(r.last_id), headHash: r.head_hash, count: r.entry_count }));
  }

  /** The last day published (null: none yet). */
  async lastPublishedDay(em: EntityManager): Promise<string | null> {
    const rows: Array<{ day: string | null }> = await em.query(
      `SELECT to_char(max(day), 'YYYY-MM-DD') AS day FROM audit_chain_days`,
    );
    return rows[0]?.day ?? null;
  }

  /** The instant of the first entry (null: the log is empty). */
  async firstOccurredAt(em: EntityManager): Promise<Date | null> {
    const rows: Array<{ at: Date | null }> = await em.query(`SELECT min(occurred_at) AS at FROM audit_log`);
    return rows[0]?.at ?? null;
  }

  /** The chain head at the end of a day [start, end): the last entry before `end` and the entries of the day. */
  async dayHead(em: EntityManager, start: Date, end: Date): Promise<{ lastId: string; hash: string; count: number }> {
    const rows: Array<{ id: string; hash: string; count: number }> = await em.query(
      `SELECT h.id, h.hash, (SELECT count(*)::int FROM audit_log WHERE occurred_at >= $1 AND occurred_at < $2) AS count
         FROM (SELECT id, hash FROM audit_log WHERE occurred_at < $2 ORDER BY id DESC LIMIT 1) h`,
      [start, end],
    );
    return rows.length
      ? { lastId: String(rows[0].id), hash: rows[0].hash, count: rows[0].count }
      : { lastId: GENESIS_POSITION.id, hash: GENESIS_POSITION.hash, count: 0 };
  }

  /** Records a day as published; false when it already was (another instance, an earlier run). */
  async markDayPublished(em: EntityManager, day: PublishedDay): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO audit_chain_days (day, last_id, head_hash, entry_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (day) DO NOTHING RETURNING day`,
      [day.day, day.lastId, day.headHash, day.count],
    );
    return rows.length === 1;
  }
}

/**
 * The statement that chains an entry (AuditChainRepository.append), its values inlined as
 * literals: it can go in one message with a COMMIT (RequestTransaction.commitWith).
 */
export function chainStatement(fields: AuditChainFields): string {
  const text = (value: string | null) => (value === null ? 'NULL' : escapeLiteral(value));
  const [head, middle, before, after] = auditChainTextPieces(fields).map(text);
  return `WITH head AS (SELECT last_id + 1 AS id, last_hash, now() AS at FROM audit_chain_head FOR UPDATE),
    chained AS (
      SELECT id, at, last_hash, encode(sha256(convert_to(
        ${head} || id::text || ${middle} || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ${before} || last_hash || ${after},
        'UTF8')), 'hex') AS hash
      FROM head),
    entry AS (
      INSERT INTO audit_log (${COLUMNS})
      SELECT id, at, ${text(fields.actor)}, ${text(fields.role)}, ${text(fields.dealerCode)}, ${text(fields.requestId)},
        ${text(fields.correlationId)}, ${text(fields.action)}, ${text(fields.entityType)}, ${text(fields.entityId)},
        ${text(JSON.stringify(fields.details ?? {}))}::jsonb, last_hash, hash
      FROM chained
      RETURNING id, occurred_at, prev_hash, hash)
    UPDATE audit_chain_head SET last_id = entry.id, last_hash = entry.hash FROM entry
    RETURNING entry.id, entry.occurred_at, entry.prev_hash, entry.hash`;
}
