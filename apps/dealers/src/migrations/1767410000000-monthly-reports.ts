import { MigrationInterface, QueryRunner } from 'typeorm';

/** Monthly reports (DOMAIN §3): one row per dealer and month, every submitted part version kept (R-REP-1). */
export class MonthlyReports1767410000000 implements MigrationInterface {
  name = 'MonthlyReports1767410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monthly_reports (
        dealer_code varchar(32) NOT NULL REFERENCES dealers(code),
        month char(7) NOT NULL CHECK (month ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        first_submitted_at timestamptz,
        due_at timestamptz,
        figures jsonb NOT NULL,
        flags text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dealer_code, month),
        CHECK ((first_submitted_at IS NULL) = (due_at IS NULL))
      )`);
    await q.query(`CREATE INDEX monthly_reports_month ON monthly_reports (month, dealer_code)`);
    await q.query(`
      CREATE TABLE monthly_report_parts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dealer_code varchar(32) NOT NULL,
        month char(7) NOT NULL,
        part varchar(32) NOT NULL CHECK (part IN ('SALES','REPAIRS','SATISFACTION','OPINIONS','QUALITY_FEEDBACK','CALLBACKS')),
        version int NOT NULL CHECK (version >= 1),
        content jsonb NOT NULL,
        source varchar(8) NOT NULL CHECK (source IN ('API','UPLOAD')),
        submitted_by varchar(200) NOT NULL,
        submitted_at timestamptz NOT NULL,
        FOREIGN KEY (dealer_code, month) REFERENCES monthly_reports (dealer_code, month),
        UNIQUE (dealer_code, month, part, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE monthly_report_parts`);
    await q.query(`DROP TABLE monthly_reports`);
  }
}
