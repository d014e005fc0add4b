import { MigrationInterface, QueryRunner } from 'typeorm';

/** Return applications (R-RET-1), their lines with class and count (R-RET-2/3), charges (R-RET-4), batch defects and refused goods. */
export class ReturnsSchema1767700000000 implements MigrationInterface {
  name = 'ReturnsSchema1767700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE return_applications (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        dealer_code varchar(32) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('APPLIED','APPROVED','REJECTED','RECEIVED','CLOSED')),
        application_date date NOT NULL,
        application_month char(7) NOT NULL,
        note varchar(1000),
        applied_by varchar(200) NOT NULL,
        decided_by varchar(200),
        decided_on date,
        rejection_reason varchar(1000),
        received_by varchar(200),
        received_on date,
        closed_by varchar(200),
        closed_on date,
        carrier_bill_no varchar(64),
        inbound_freight numeric(14,2),
        outbound_freight numeric(14,2),
        return_class varchar(16),
        dealer_total numeric(14,2),
        manufacturer_total numeric(14,2),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX return_applications_dealer ON return_applications (dealer_code, seq)`);
    await q.query(`CREATE INDEX return_applications_status ON return_applications (status, seq)`);
    await q.query(`
      CREATE TABLE return_lines (
        return_id uuid NOT NULL REFERENCES return_applications(id),
        line_no int NOT NULL CHECK (line_no > 0),
        serial varchar(64) NOT NULL,
        model varchar(64) NOT NULL,
        reason varchar(500) NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        receipt_date date NOT NULL,
        sale_date date,
        repair_attempted boolean NOT NULL,
        transport_damage boolean NOT NULL,
        return_class varchar(16),
        class_reason text,
        batch_defect_id uuid,
        counted_quantity int CHECK (counted_quantity >= 0),
        refused_for varchar(16) CHECK (refused_for IN ('INCOMPLETE','UNTIDY','MISSING_PARTS')),
        refusal_note varchar(500),
        charged_quantity int CHECK (charged_quantity >= 0),
        PRIMARY KEY (return_id, line_no)
      )`);
    await q.query(`
      CREATE TABLE return_parts (
        return_id uuid NOT NULL REFERENCES return_applications(id),
        seq int NOT NULL,
        line_no int NOT NULL,
        part_no varchar(64) NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        list_price numeric(14,2) NOT NULL CHECK (list_price >= 0),
        PRIMARY KEY (return_id, seq),
        FOREIGN KEY (return_id, line_no) REFERENCES return_lines(return_id, line_no)
      )`);
    await q.query(`
      CREATE TABLE return_charges (
        return_id uuid NOT NULL REFERENCES return_applications(id),
        seq int NOT NULL,
        rule_id varchar(16) NOT NULL,
        kind varchar(24) NOT NULL,
        payer varchar(24) NOT NULL,
        return_class varchar(16) NOT NULL,
        line_nos int[] NOT NULL,
        amount numeric(14,2) NOT NULL,
        detail varchar(500) NOT NULL,
        PRIMARY KEY (return_id, seq)
      )`);
    await q.query(`
      CREATE TABLE batch_defects (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        model varchar(64) NOT NULL,
        serial_from varchar(64) NOT NULL,
        serial_to varchar(64) NOT NULL,
        reason varchar(500) NOT NULL,
        declared_by varchar(200) NOT NULL,
        declared_at timestamptz NOT NULL DEFAULT now(),
        CHECK (length(serial_from) = length(serial_to) AND serial_from <= serial_to)
      )`);
    await q.query(`CREATE INDEX batch_defects_model ON batch_defects (model)`);
    await q.query(`
      CREATE TABLE refused_goods (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        dealer_code varchar(32) NOT NULL,
        return_id uuid REFERENCES return_applications(id),
        received_on date NOT NULL,
        items jsonb NOT NULL,
        reason varchar(500) NOT NULL,
        note varchar(1000),
        recorded_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refused_goods_dealer ON refused_goods (dealer_code, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'refused_goods',
      'batch_defects',
      'return_charges',
      'return_parts',
      'return_lines',
      'return_applications',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
