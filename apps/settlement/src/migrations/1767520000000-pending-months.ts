import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DOMAIN §9: a draft lists the months of its quarter whose report due time had not passed when it
 * was computed (PENDING); an approved statement has none.
 */
export class PendingMonths1767520000000 implements MigrationInterface {
  name = 'PendingMonths1767520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE statements ADD COLUMN pending_months text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE statements DROP COLUMN pending_months`);
  }
}
