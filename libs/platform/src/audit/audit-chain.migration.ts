import { MigrationInterface, QueryRunner } from 'typeorm';
import { auditEntryHash, chainedEntryOfRow, GENESIS_HASH, StoredAuditRow } from './audit-chain';

const BACKFILL_BATCH = 1000;

/**
 * The audit log's hash chain: every entry carries the hash of the entry before it and its own
 * (audit-chain.ts), existing entries are chained in id order; audit_chain_head holds the last id
 * and hash (its row lock orders concurrent writers), audit_chain_days the daily heads published.
 */
export class PlatformAuditChain1767900000000 implements MigrationInterface {
  name = 'PlatformAuditChain1767900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN prev_hash text NULL, ADD COLUMN hash text NULL`);
    await q.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    const head = await this.backfill(q);
    await q.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    await q.query(`
      ALTER TABLE audit_log
        ALTER COLUMN prev_hash SET NOT NULL,
        ALTER COLUMN hash SET NOT NULL,
        ADD CONSTRAINT audit_log_hash_hex CHECK (hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$')`);
    await q.query(`
      CREATE TABLE audit_chain_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        last_id bigint NOT NULL,
        last_hash text NOT NULL
      )`);
    await q.query(`INSERT INTO audit_chain_head (last_id, last_hash) VALUES ($1, $2)`, [head.id, head.hash]);
    await q.query(`
      CREATE TABLE audit_chain_days (
        day date PRIMARY KEY,
        last_id bigint NOT NULL,
        head_hash text NOT NULL,
        entry_count integer NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  private async backfill(q: QueryRunner): Promise<{ id: string; hash: string }> {
    let head = { id: '0', hash: GENESIS_HASH };
    for (;;) {
      const rows: StoredAuditRow[] = await q.query(`SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`, [
        head.id,
        BACKFILL_BATCH,
      ]);
      if (rows.length === 0) return head;
      const ids: string[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        const hash = auditEntryHash(chainedEntryOfRow(row), head.hash);
        ids.push(row.id);
        prevs.push(head.hash);
        hashes.push(hash);
        head = { id: row.id, hash };
      }
      await q.query(
        `UPDATE audit_log a SET prev_hash = c.prev_hash, hash = c.hash
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS c(id, prev_hash, hash) WHERE a.id = c.id`,
        [ids, prevs, hashes],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_chain_days`);
    await q.query(`DROP TABLE audit_chain_head`);
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_hash_hex`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash`);
  }
}
