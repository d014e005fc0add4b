import { MigrationInterface, QueryRunner } from 'typeorm';

export class MonthClosing1767420000000 implements MigrationInterface {
  name = 'MonthClosing1767420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE closed_months (
        dealer_code varchar(32) NOT NULL,
        month char(7) NOT NULL,
        quarter char(7) NOT NULL,
        statement_id uuid NOT NULL,
        closed_at timestamptz NOT NULL,
        PRIMARY KEY (dealer_code, month)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE closed_months');
  }
}
