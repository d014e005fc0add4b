import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The quarterly run loads card counts for a batch of dealers at a time (R-SET-2). With the
 * visibility columns in the index, PostgreSQL counts a batch's cards with an index-only scan
 * instead of hashing the whole card table once per batch. It supersedes card_facts_dealer_month
 * (same key columns).
 */
export class CardFactsCoveringIndex1767516000000 implements MigrationInterface {
  name = 'CardFactsCoveringIndex1767516000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX card_facts_dealer_month_cover ON card_facts (dealer_code, report_month, model) INCLUDE (received_at, withdrawn_at)`,
    );
    await q.query(`DROP INDEX card_facts_dealer_month`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX card_facts_dealer_month ON card_facts (dealer_code, report_month, model)`);
    await q.query(`DROP INDEX card_facts_dealer_month_cover`);
  }
}
