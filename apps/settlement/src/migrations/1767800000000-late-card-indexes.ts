import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R-SET-7 late cards: a statement looks, for each approved month of its dealers, for cards
 * received after that month's approval and for cards withdrawn since. Probing by
 * (dealer, month, received_at) and through the few withdrawn cards keeps that cost to the late
 * cards themselves instead of every card ever stored, so it does not grow with history.
 */
export class LateCardIndexes1767800000000 implements MigrationInterface {
  name = 'LateCardIndexes1767800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX card_facts_dealer_month_received ON card_facts (dealer_code, report_month, received_at)`,
    );
    await q.query(
      `CREATE INDEX card_facts_withdrawn ON card_facts (dealer_code, report_month, withdrawn_at) WHERE withdrawn_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX card_facts_withdrawn`);
    await q.query(`DROP INDEX card_facts_dealer_month_received`);
  }
}
