import { MigrationInterface, QueryRunner } from 'typeorm';

/** R-AUD-1..3: callback audits, their seed, population snapshot and sampled cards with results. */
export class CallbackAudits1767430000000 implements MigrationInterface {
  name = 'CallbackAudits1767430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE callback_audits (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        dealer_code varchar(32) NOT NULL REFERENCES dealers(code),
        report_month char(7) NOT NULL,
        percent numeric(9,4) NOT NULL CHECK (percent > 0 AND percent <= 100),
        seed varchar(128) NOT NULL,
        seed_generated boolean NOT NULL,
        population_count int NOT NULL CHECK (population_count > 0),
        population_hash char(64) NOT NULL,
        population_serials text[] NOT NULL,
        sample_size int NOT NULL CHECK (sample_size > 0 AND sample_size <= population_count),
        status varchar(8) NOT NULL CHECK (status IN ('OPEN','CLOSED')),
        drawn_by varchar(200) NOT NULL,
        drawn_at timestamptz NOT NULL DEFAULT now(),
        closed_by varchar(200),
        closed_at timestamptz
      )`);
    // At most one open audit per dealer and month, decided by the database.
    await q.query(
      `CREATE UNIQUE INDEX callback_audits_one_open ON callback_audits (dealer_code, report_month) WHERE status = 'OPEN'`,
    );
    await q.query(`CREATE INDEX callback_audits_dealer_month ON callback_audits (dealer_code, report_month, seq)`);
    await q.query(`
      CREATE TABLE callback_audit_samples (
        audit_id uuid NOT NULL REFERENCES callback_audits(id),
        position int NOT NULL,
        serial varchar(64) NOT NULL,
        model varchar(64) NOT NULL,
        result varchar(16) CHECK (result IN ('VERIFIED','FALSIFIED','INCOMPLETE')),
        note varchar(2000),
        recorded_by varchar(200),
        recorded_at timestamptz,
        PRIMARY KEY (audit_id, serial),
        UNIQUE (audit_id, position)
      )`);
    await q.query(`CREATE INDEX callback_audit_samples_serial ON callback_audit_samples (serial)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE callback_audit_samples`);
    await q.query(`DROP TABLE callback_audits`);
  }
}
