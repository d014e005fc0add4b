import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sub-distributors (card outlets), the product catalogue and the shipment registry. */
export class CatalogueAndShipments1767420000001 implements MigrationInterface {
  name = 'CatalogueAndShipments1767420000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sub_distributors (
        code varchar(32) PRIMARY KEY,
        dealer_code varchar(32) NOT NULL REFERENCES dealers(code),
        name varchar(200) NOT NULL,
        region varchar(100),
        created_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sub_distributors_dealer ON sub_distributors (dealer_code)`);
    await q.query(`
      CREATE TABLE product_models (
        model varchar(64) PRIMARY KEY,
        name varchar(200) NOT NULL,
        category varchar(100),
        updated_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE shipment_imports (
        reference varchar(100) PRIMARY KEY,
        dealer_code varchar(32) NOT NULL REFERENCES dealers(code),
        shipped_on date NOT NULL,
        content_hash char(64) NOT NULL,
        received int NOT NULL,
        registered int NOT NULL,
        rejected int NOT NULL,
        problems jsonb NOT NULL,
        imported_by varchar(200) NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One registry line per serial: the dealer it was shipped to and when (R-CARD-1 NOT_SHIPPED_TO_DEALER, SOLD_BEFORE_SHIPPED).
    await q.query(`
      CREATE TABLE shipped_serials (
        serial varchar(64) PRIMARY KEY,
        model varchar(64) NOT NULL,
        dealer_code varchar(32) NOT NULL,
        shipped_on date NOT NULL,
        reference varchar(100) NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE shipped_serials');
    await q.query('DROP TABLE shipment_imports');
    await q.query('DROP TABLE product_models');
    await q.query('DROP TABLE sub_distributors');
  }
}
