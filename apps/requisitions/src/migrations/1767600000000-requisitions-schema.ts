import { MigrationInterface, QueryRunner } from 'typeorm';

export class RequisitionsSchema1767600000000 implements MigrationInterface {
  name = 'RequisitionsSchema1767600000000';

  async up(q: QueryRunner): Promise<void> {
    // R-PRT-1: one row per price version; a new version never rewrites an old one.
    await q.query(`
      CREATE TABLE part_prices (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        part_no varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        list_price numeric(14,2) NOT NULL CHECK (list_price >= 0),
        cost_price numeric(14,2) NOT NULL CHECK (cost_price >= 0),
        effective_from date NOT NULL,
        created_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (part_no, effective_from)
      )`);
    await q.query(`
      CREATE TABLE requisitions (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        dealer_code varchar(32) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('SUBMITTED','APPROVED','SHIPPED')),
        urgent boolean NOT NULL,
        note varchar(500),
        submitted_by varchar(200) NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        approved_on date,
        approved_by varchar(200),
        approved_at timestamptz,
        terms_version int,
        urgent_freight_difference numeric(14,2) CHECK (urgent_freight_difference >= 0),
        shipped_on date,
        shipped_by varchar(200),
        old_parts_due_on date
      )`);
    await q.query(`CREATE INDEX requisitions_dealer ON requisitions (dealer_code, submitted_at)`);
    await q.query(`CREATE INDEX requisitions_approved_on ON requisitions (dealer_code, approved_on)`);
    await q.query(`
      CREATE TABLE requisition_lines (
        id uuid PRIMARY KEY,
        requisition_id uuid NOT NULL REFERENCES requisitions(id),
        line_no int NOT NULL,
        part_no varchar(64) NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        purpose varchar(16) NOT NULL CHECK (purpose IN ('WARRANTY','STOCK')),
        repair_tickets text[] NOT NULL DEFAULT '{}',
        approved_quantity int CHECK (approved_quantity >= 0 AND approved_quantity <= quantity),
        cut_reason varchar(500),
        part_name varchar(200),
        list_price numeric(14,2),
        cost_price numeric(14,2),
        amount numeric(14,2),
        charge_to varchar(16) CHECK (charge_to IN ('ALLOWANCE','FREE','INVOICE')),
        old_parts_received int NOT NULL DEFAULT 0 CHECK (old_parts_received >= 0),
        UNIQUE (requisition_id, line_no),
        CHECK (purpose = 'WARRANTY' OR old_parts_received = 0),
        CHECK (approved_quantity IS NULL OR old_parts_received <= approved_quantity)
      )`);
    await q.query(`
      CREATE TABLE old_part_receipts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        line_id uuid NOT NULL REFERENCES requisition_lines(id),
        quantity int NOT NULL CHECK (quantity > 0),
        received_on date NOT NULL,
        recorded_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // R-PRT-4: exactly one invoice per line, however often the sweep runs — decided by the database.
    await q.query(`
      CREATE TABLE old_part_invoices (
        line_id uuid PRIMARY KEY REFERENCES requisition_lines(id),
        requisition_id uuid NOT NULL REFERENCES requisitions(id),
        dealer_code varchar(32) NOT NULL,
        part_no varchar(64) NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        cost_price numeric(14,2) NOT NULL,
        amount numeric(14,2) NOT NULL,
        invoiced_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX old_part_invoices_dealer ON old_part_invoices (dealer_code, invoiced_on)`);
    // R-SET-1 / R-SET-4: the dealer's latest provisional balance, from settlement's DealerBalanceTallied events.
    await q.query(`
      CREATE TABLE dealer_fund_balances (
        dealer_code varchar(32) PRIMARY KEY,
        quarter char(7) NOT NULL,
        balance numeric(14,2) NOT NULL,
        as_of timestamptz NOT NULL,
        source_event_id uuid NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dealer_fund_balances`);
    await q.query(`DROP TABLE old_part_invoices`);
    await q.query(`DROP TABLE old_part_receipts`);
    await q.query(`DROP TABLE requisition_lines`);
    await q.query(`DROP TABLE requisitions`);
    await q.query(`DROP TABLE part_prices`);
  }
}
