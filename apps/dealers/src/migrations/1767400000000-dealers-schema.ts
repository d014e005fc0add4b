import { MigrationInterface, QueryRunner } from 'typeorm';

export class DealersSchema1767400000000 implements MigrationInterface {
  name = 'DealersSchema1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dealers (
        code varchar(32) PRIMARY KEY,
        name varchar(200) NOT NULL,
        region varchar(100),
        status varchar(16) NOT NULL CHECK (status IN ('ACTIVE','SUSPENDED','TERMINATED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE agreements (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dealer_code varchar(32) NOT NULL REFERENCES dealers(code),
        version int NOT NULL,
        effective_from date NOT NULL CHECK (extract(day FROM effective_from) = 1),
        terms jsonb NOT NULL,
        created_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (dealer_code, version),
        UNIQUE (dealer_code, effective_from)
      )`);
    await q.query(`
      CREATE TABLE warranty_card_batches (
        id uuid PRIMARY KEY,
        dealer_code varchar(32) NOT NULL REFERENCES dealers(code),
        report_month char(7) NOT NULL,
        submitted_by varchar(200) NOT NULL,
        accepted_count int NOT NULL,
        rejected_count int NOT NULL,
        results jsonb NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX warranty_card_batches_dealer_month ON warranty_card_batches (dealer_code, report_month)`,
    );
    await q.query(`
      CREATE TABLE warranty_cards (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        batch_id uuid NOT NULL,
        dealer_code varchar(32) NOT NULL REFERENCES dealers(code),
        report_month char(7) NOT NULL,
        serial varchar(64) NOT NULL,
        model varchar(64) NOT NULL,
        sale_date date NOT NULL,
        outlet varchar(32) NOT NULL,
        consumer_name varchar(100) NOT NULL,
        phone varchar(32) NOT NULL,
        address varchar(300) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('ACCEPTED','WITHDRAWN')),
        flags text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // R-CARD-1 DUPLICATE_SERIAL: one accepted card per serial across all dealers, decided by the database.
    await q.query(
      `CREATE UNIQUE INDEX warranty_cards_accepted_serial ON warranty_cards (serial) WHERE status = 'ACCEPTED'`,
    );
    await q.query(`CREATE INDEX warranty_cards_dealer_month ON warranty_cards (dealer_code, report_month)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE warranty_cards`);
    await q.query(`DROP TABLE warranty_card_batches`);
    await q.query(`DROP TABLE agreements`);
    await q.query(`DROP TABLE dealers`);
  }
}
