import { MigrationInterface, QueryRunner } from 'typeorm';

/** The daily audit-chain heads of every service (AuditChainHeadPublished events; settlement's own directly). */
export class AuditChainHeads1767900000000 implements MigrationInterface {
  name = 'AuditChainHeads1767900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chain_heads (
        service text NOT NULL,
        day date NOT NULL,
        last_id bigint NOT NULL,
        head_hash text NOT NULL,
        entry_count integer NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_chain_heads`);
  }
}
