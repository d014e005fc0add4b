import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DOMAIN §9: one fact holds at most 9,999,999,999.99, and sums of facts are stored wide enough
 * that none can overflow. Totals get 28 integer digits (a dealer would need more than 10^18 facts
 * at the limit to fill them; decimal.js computes them exactly at 40 digits). Rates of a line are a
 * unit rate of one fact. The units a month's report sums over its lines can pass 2^31.
 */
export class WideTotals1767517000000 implements MigrationInterface {
  name = 'WideTotals1767517000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE statements ALTER COLUMN opening TYPE numeric(30,2), ALTER COLUMN closing TYPE numeric(30,2)`,
    );
    await q.query(
      `ALTER TABLE statement_lines ALTER COLUMN base TYPE numeric(30,2), ALTER COLUMN amount TYPE numeric(30,2), ALTER COLUMN rate TYPE numeric(16,4)`,
    );
    await q.query(
      `ALTER TABLE ledger_entries ALTER COLUMN debit TYPE numeric(30,2), ALTER COLUMN credit TYPE numeric(30,2)`,
    );
    await q.query(`ALTER TABLE disputes ALTER COLUMN decision_amount TYPE numeric(30,2)`);
    await q.query(`ALTER TABLE monthly_tallies
      ALTER COLUMN month_accrual TYPE numeric(30,2), ALTER COLUMN month_net TYPE numeric(30,2), ALTER COLUMN month_invoiced TYPE numeric(30,2),
      ALTER COLUMN opening_balance TYPE numeric(30,2), ALTER COLUMN quarter_balance TYPE numeric(30,2)`);
    await q.query(`ALTER TABLE report_submissions ALTER COLUMN units_sold TYPE bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE report_submissions ALTER COLUMN units_sold TYPE int`);
    await q.query(`ALTER TABLE monthly_tallies
      ALTER COLUMN month_accrual TYPE numeric(14,2), ALTER COLUMN month_net TYPE numeric(14,2), ALTER COLUMN month_invoiced TYPE numeric(14,2),
      ALTER COLUMN opening_balance TYPE numeric(14,2), ALTER COLUMN quarter_balance TYPE numeric(14,2)`);
    await q.query(`ALTER TABLE disputes ALTER COLUMN decision_amount TYPE numeric(14,2)`);
    await q.query(
      `ALTER TABLE ledger_entries ALTER COLUMN debit TYPE numeric(14,2), ALTER COLUMN credit TYPE numeric(14,2)`,
    );
    await q.query(
      `ALTER TABLE statement_lines ALTER COLUMN base TYPE numeric(14,2), ALTER COLUMN amount TYPE numeric(14,2), ALTER COLUMN rate TYPE numeric(9,4)`,
    );
    await q.query(
      `ALTER TABLE statements ALTER COLUMN opening TYPE numeric(14,2), ALTER COLUMN closing TYPE numeric(14,2)`,
    );
  }
}
