import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Serials, phones, dealer codes and months are identifiers compared byte for byte; the "C"
 * collation makes every comparison a memcmp instead of a locale-aware one. The three lookups per
 * card of R-CARD-1 (taken serials, the shipment registry, phone reuse) are index probes, each a
 * few dozen comparisons.
 */
export class CardIdentifiersCCollation1767440000001 implements MigrationInterface {
  name = 'CardIdentifiersCCollation1767440000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE warranty_cards
      ALTER COLUMN serial TYPE varchar(64) COLLATE "C", ALTER COLUMN phone TYPE varchar(32) COLLATE "C",
      ALTER COLUMN dealer_code TYPE varchar(32) COLLATE "C", ALTER COLUMN report_month TYPE char(7) COLLATE "C"`);
    await q.query(`ALTER TABLE shipped_serials ALTER COLUMN serial TYPE varchar(64) COLLATE "C"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shipped_serials ALTER COLUMN serial TYPE varchar(64) COLLATE "default"`);
    await q.query(`ALTER TABLE warranty_cards
      ALTER COLUMN serial TYPE varchar(64) COLLATE "default", ALTER COLUMN phone TYPE varchar(32) COLLATE "default",
      ALTER COLUMN dealer_code TYPE varchar(32) COLLATE "default", ALTER COLUMN report_month TYPE char(7) COLLATE "default"`);
  }
}
