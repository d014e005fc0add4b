import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ChainLink, GENESIS_HASH } from './statement-chain';
import { StatementRecord, toStatement } from './statements.repository';

/** A stored link with the statement's columns (null when the statement is no longer POSTED). */
export interface LinkRow extends ChainLink {
  statement: StatementRecord | null;
}

/** One row of a statement's history: its status and content from `at` on. */
export interface HistoryRow {
  status: StatementRecord['status'];
  contentHash: string;
  opening: string;
  closing: string;
  totals: StatementRecord['totals'];
  outcome: StatementRecord['outcome'];
  at: string;
  by: string;
}

/** Serialises appends to the chain across instances: one posting at a time takes the next sequence. */
const CHAIN_LOCK = 0x5e771e;

/** Every SQL statement on statement_chain and statement_status_history (both append-only). */
@Injectable()
export class StatementChainRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Takes the chain's lock for the transaction and returns its head (sequence 0 and the genesis hash when empty). */
  async lockHead(em: EntityManager): Promise<{ sequence: number; chainHash: string }> {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [CHAIN_LOCK]);
    const rows: Array<{ sequence: string; chain_hash: string }> = await em.query(
      `SELECT sequence, chain_hash FROM statement_chain ORDER BY sequence DESC LIMIT 1`,
    );
    return rows[0]
      ? { sequence: Number(rows[0].sequence), chainHash: rows[0].chain_hash }
      : { sequence: 0, chainHash: GENESIS_HASH };
  }

  async append(em: EntityManager, statementId: string, link: ChainLink): Promise<void> {
    await em.query(
      `INSERT INTO statement_chain (sequence, statement_id, prev_hash, chain_hash) VALUES ($1, $2, $3, $4)`,
      [link.sequence, statementId, link.prevHash, link.chainHash],
    );
  }

  /** The sequence range of the links whose statements were posted in [from, to). */
  async sequenceRange(from: Date | undefined, to: Date | undefined): Promise<{ first: number; last: number } | null> {
    const rows: Array<{ first: string | null; last: string | null }> = await this.db.query(
      `SELECT min(c.sequence) AS first, max(c.sequence) AS last FROM statement_chain c JOIN statements s ON s.id = c.statement_id
       WHERE ($1::timestamptz IS NULL OR s.posted_at >= $1) AND ($2::timestamptz IS NULL OR s.posted_at < $2)`,
      [from ?? null, to ?? null],
    );
    const r = rows[0];
    return r?.first ? { first: Number(r.first), last: Number(r.last) } : null;
  }

  /** The stored chain hash of the link at `sequence`, if any. */
  async hashAt(sequence: number): Promise<string | null> {
    if (sequence === 0) return GENESIS_HASH;
    const rows: Array<{ chain_hash: string }> = await this.db.query(
      `SELECT chain_hash FROM statement_chain WHERE sequence = $1`,
      [sequence],
    );
    return rows[0]?.chain_hash ?? null;
  }

  /** Links with sequence in [first, last], in sequence order, at most `limit`. */
  async links(first: number, last: number, limit: number): Promise<LinkRow[]> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT c.sequence, c.prev_hash, c.chain_hash, c.statement_id AS chained_id, s.* FROM statement_chain c
       LEFT JOIN statements s ON s.id = c.statement_id AND s.status = 'POSTED'
       WHERE c.sequence BETWEEN $1 AND $2 ORDER BY c.sequence LIMIT $3`,
      [first, last, limit],
    );
    return rows.map((r) => ({
      sequence: Number(r.sequence),
      prevHash: r.prev_hash as string,
      chainHash: r.chain_hash as string,
      statement: r.id ? toStatement(r) : null,
    }));
  }

  /** Statements POSTED in [from, to) that have no link. */
  async unchained(from: Date | undefined, to: Date | undefined): Promise<Array<{ id: string }>> {
    return this.db.query(
      `SELECT s.id FROM statements s WHERE s.status = 'POSTED'
         AND ($1::timestamptz IS NULL OR s.posted_at >= $1) AND ($2::timestamptz IS NULL OR s.posted_at < $2)
         AND NOT EXISTS (SELECT 1 FROM statement_chain c WHERE c.statement_id = s.id)
       ORDER BY s.posted_at, s.id LIMIT 1`,
      [from ?? null, to ?? null],
    );
  }

  /** The statement's status and content as they stood at `asOf` (null: it did not exist yet). */
  async historyAt(statementId: string, asOf: Date): Promise<HistoryRow | null> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT status, content_hash, opening, closing, totals, outcome, at, by FROM statement_status_history
       WHERE statement_id = $1 AND at <= $2 ORDER BY at DESC, id DESC LIMIT 1`,
      [statementId, asOf],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      status: r.status as HistoryRow['status'],
      contentHash: (r.content_hash as string).trim(),
      opening: r.opening as string,
      closing: r.closing as string,
      totals: r.totals as HistoryRow['totals'],
      outcome: r.outcome as HistoryRow['outcome'],
      at: new Date(r.at as string).toISOString(),
      by: r.by as string,
    };
  }
}
