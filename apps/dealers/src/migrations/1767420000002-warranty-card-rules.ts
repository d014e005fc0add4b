import { MigrationInterface, QueryRunner } from 'typeorm';

/** Withdrawal of accepted cards and the PHONE_REUSED lookup (R-CARD-1). */
export class WarrantyCardRules1767420000002 implements MigrationInterface {
  name = 'WarrantyCardRules1767420000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE warranty_cards ADD COLUMN withdrawn_at timestamptz, ADD COLUMN withdrawn_by varchar(200)`,
    );
    // PHONE_REUSED counts a phone's accepted cards in a quarter, across all dealers.
    await q.query(
      `CREATE INDEX warranty_cards_accepted_phone ON warranty_cards (phone, report_month) WHERE status = 'ACCEPTED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX warranty_cards_accepted_phone');
    await q.query('ALTER TABLE warranty_cards DROP COLUMN withdrawn_by, DROP COLUMN withdrawn_at');
  }
}
