import { MigrationInterface, QueryRunner } from 'typeorm';

export class SettlementSchema1767500000000 implements MigrationInterface {
  name = 'SettlementSchema1767500000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per accepted card, as the dealers service reported it; the batch and serial make it idempotent.
    await q.query(`
      CREATE TABLE card_facts (
        batch_id uuid NOT NULL,
        serial varchar(64) NOT NULL,
        dealer_code varchar(32) NOT NULL,
        report_month char(7) NOT NULL,
        model varchar(64) NOT NULL,
        sale_date date NOT NULL,
        source_event_id uuid NOT NULL,
        PRIMARY KEY (batch_id, serial)
      )`);
    await q.query(`CREATE INDEX card_facts_dealer_month ON card_facts (dealer_code, report_month, model)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE card_facts`);
  }
}
