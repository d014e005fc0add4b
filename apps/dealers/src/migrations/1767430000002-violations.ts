import { MigrationInterface, QueryRunner } from 'typeorm';

/** DOMAIN §6: violations (e.g. an unlicensed technician), idempotent on the external reference. */
export class Violations1767430000002 implements MigrationInterface {
  name = 'Violations1767430000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE violations (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        reference varchar(100) NOT NULL UNIQUE,
        dealer_code varchar(32) NOT NULL REFERENCES dealers(code),
        date date NOT NULL,
        kind varchar(64) NOT NULL,
        amount numeric(14,2) NOT NULL CHECK (amount >= 0),
        amount_source varchar(8) NOT NULL CHECK (amount_source IN ('GIVEN','TERMS')),
        agreement_version int,
        description varchar(2000) NOT NULL,
        content_hash char(64) NOT NULL,
        recorded_by varchar(200) NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX violations_dealer_date ON violations (dealer_code, date, seq)`);
    await q.query(`CREATE INDEX violations_date ON violations (date, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE violations`);
  }
}
