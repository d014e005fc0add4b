import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settlement's projections of every fact it consumes (fed only by events; `received_at` = when
 * settlement learned the fact, for R-SET-7), the consumed-event journal, finance inputs (DOMAIN §6)
 * and the monthly tallies (R-SET-1).
 */
export class SettlementFacts1767510000000 implements MigrationInterface {
  name = 'SettlementFacts1767510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE card_facts
      ADD COLUMN received_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN withdrawn_at timestamptz,
      ADD COLUMN withdrawn_event_id uuid`);
    await q.query(`CREATE INDEX card_facts_dealer_serial ON card_facts (dealer_code, serial)`);

    await q.query(`
      CREATE TABLE consumed_events (
        event_id uuid PRIMARY KEY,
        type varchar(100) NOT NULL,
        version int NOT NULL,
        dealer_code varchar(32) NOT NULL,
        occurred_at timestamptz NOT NULL,
        producer varchar(100) NOT NULL,
        correlation_id varchar(200) NOT NULL,
        causation_id varchar(200),
        payload jsonb NOT NULL,
        consumed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX consumed_events_dealer_time ON consumed_events (dealer_code, occurred_at, event_id)`);
    await q.query(`CREATE INDEX consumed_events_type_time ON consumed_events (type, occurred_at, event_id)`);
    await q.query(`CREATE INDEX consumed_events_time ON consumed_events (occurred_at, event_id)`);

    // MonthlyReportSubmitted: the latest figures per dealer and month (R-REP-1, R-REP-4, R-AWD-1).
    await q.query(`
      CREATE TABLE report_submissions (
        dealer_code varchar(32) NOT NULL,
        month char(7) NOT NULL,
        first_submitted_at timestamptz,
        due_at timestamptz NOT NULL,
        on_time boolean NOT NULL,
        units_sold int NOT NULL,
        surveyed int NOT NULL,
        satisfied int NOT NULL,
        repairs int NOT NULL,
        callbacks int NOT NULL,
        callbacks_below_minimum boolean NOT NULL,
        last_occurred_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dealer_code, month)
      )`);

    // CallbackAuditRecorded (R-AUD-1..3): one row per audit and card.
    await q.query(`
      CREATE TABLE audit_findings (
        audit_id uuid NOT NULL,
        serial varchar(64) NOT NULL,
        dealer_code varchar(32) NOT NULL,
        report_month char(7) NOT NULL,
        model varchar(64) NOT NULL,
        result varchar(16) NOT NULL,
        recorded_on date NOT NULL,
        occurred_at timestamptz NOT NULL,
        source_event_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (audit_id, serial)
      )`);
    await q.query(`CREATE INDEX audit_findings_dealer_month ON audit_findings (dealer_code, report_month)`);

    for (const t of ['complaint_facts', 'violation_facts']) {
      await q.query(`
        CREATE TABLE ${t} (
          id uuid PRIMARY KEY,
          dealer_code varchar(32) NOT NULL,
          reference varchar(100) NOT NULL,
          date date NOT NULL,
          month char(7) NOT NULL,
          ${t === 'violation_facts' ? 'kind varchar(64) NOT NULL,' : ''}
          amount numeric(14,2) NOT NULL,
          description text NOT NULL,
          source_event_id uuid NOT NULL,
          received_at timestamptz NOT NULL DEFAULT now()
        )`);
      await q.query(`CREATE INDEX ${t}_dealer_month ON ${t} (dealer_code, month)`);
    }

    await q.query(`
      CREATE TABLE requisition_line_facts (
        requisition_id uuid NOT NULL,
        line_id varchar(64) NOT NULL,
        dealer_code varchar(32) NOT NULL,
        approved_on date NOT NULL,
        month char(7) NOT NULL,
        part_no varchar(64) NOT NULL,
        part_name varchar(200) NOT NULL,
        purpose varchar(16) NOT NULL,
        quantity int NOT NULL,
        list_price numeric(14,2) NOT NULL,
        cost_price numeric(14,2) NOT NULL,
        amount numeric(14,2) NOT NULL,
        charge_to varchar(16) NOT NULL,
        source_event_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (requisition_id, line_id)
      )`);
    await q.query(`CREATE INDEX requisition_line_facts_dealer_month ON requisition_line_facts (dealer_code, month)`);
    await q.query(`
      CREATE TABLE urgent_freight_facts (
        requisition_id uuid PRIMARY KEY,
        dealer_code varchar(32) NOT NULL,
        approved_on date NOT NULL,
        month char(7) NOT NULL,
        amount numeric(14,2) NOT NULL,
        source_event_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX urgent_freight_facts_dealer_month ON urgent_freight_facts (dealer_code, month)`);
    await q.query(`
      CREATE TABLE old_parts_invoice_facts (
        requisition_id uuid NOT NULL,
        line_id varchar(64) NOT NULL,
        dealer_code varchar(32) NOT NULL,
        part_no varchar(64) NOT NULL,
        quantity int NOT NULL,
        cost_price numeric(14,2) NOT NULL,
        amount numeric(14,2) NOT NULL,
        invoiced_on date NOT NULL,
        month char(7) NOT NULL,
        source_event_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (requisition_id, line_id)
      )`);
    await q.query(`CREATE INDEX old_parts_invoice_facts_dealer_month ON old_parts_invoice_facts (dealer_code, month)`);
    await q.query(`
      CREATE TABLE return_charge_facts (
        return_id uuid NOT NULL,
        seq int NOT NULL,
        dealer_code varchar(32) NOT NULL,
        closed_on date NOT NULL,
        month char(7) NOT NULL,
        return_class varchar(16) NOT NULL,
        rule_id varchar(16) NOT NULL,
        kind varchar(32) NOT NULL,
        payer varchar(32) NOT NULL,
        amount numeric(14,2) NOT NULL,
        detail varchar(500) NOT NULL,
        source_event_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (return_id, seq)
      )`);
    await q.query(`CREATE INDEX return_charge_facts_dealer_month ON return_charge_facts (dealer_code, month)`);

    // Finance inputs (DOMAIN §6), idempotent on the external document reference.
    for (const [t, dateCol] of [
      ['collections', 'value_date'],
      ['purchases', 'invoice_date'],
    ] as const) {
      await q.query(`
        CREATE TABLE ${t} (
          id uuid PRIMARY KEY,
          reference varchar(100) NOT NULL UNIQUE,
          dealer_code varchar(32) NOT NULL,
          ${dateCol} date NOT NULL,
          month char(7) NOT NULL,
          amount numeric(14,2) NOT NULL CHECK (amount >= 0),
          note varchar(500),
          recorded_by varchar(200) NOT NULL,
          received_at timestamptz NOT NULL DEFAULT now()
        )`);
      await q.query(`CREATE INDEX ${t}_dealer_month ON ${t} (dealer_code, month)`);
    }
    await q.query(`
      CREATE TABLE breaches (
        id uuid PRIMARY KEY,
        reference varchar(100) NOT NULL UNIQUE,
        dealer_code varchar(32) NOT NULL,
        quarter char(7) NOT NULL,
        reason varchar(2000) NOT NULL,
        recorded_by varchar(200) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX breaches_dealer_quarter ON breaches (dealer_code, quarter)`);

    // R-SET-1: the month's figures and the quarter-to-date balance per dealer, latest tally wins.
    await q.query(`
      CREATE TABLE monthly_tallies (
        dealer_code varchar(32) NOT NULL,
        month char(7) NOT NULL,
        quarter char(7) NOT NULL,
        month_accrual numeric(14,2) NOT NULL,
        month_net numeric(14,2) NOT NULL,
        month_invoiced numeric(14,2) NOT NULL,
        opening_balance numeric(14,2) NOT NULL,
        quarter_balance numeric(14,2) NOT NULL,
        lines jsonb NOT NULL,
        trigger varchar(16) NOT NULL,
        tallied_by varchar(200) NOT NULL,
        tallied_at timestamptz NOT NULL,
        PRIMARY KEY (dealer_code, month)
      )`);
    await q.query(`
      CREATE TABLE tallied_months (
        month char(7) PRIMARY KEY,
        trigger varchar(16) NOT NULL,
        dealers int NOT NULL,
        tallied_by varchar(200) NOT NULL,
        tallied_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'tallied_months',
      'monthly_tallies',
      'breaches',
      'purchases',
      'collections',
      'return_charge_facts',
      'old_parts_invoice_facts',
      'urgent_freight_facts',
      'requisition_line_facts',
      'violation_facts',
      'complaint_facts',
      'audit_findings',
      'report_submissions',
      'consumed_events',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP INDEX card_facts_dealer_serial`);
    await q.query(
      `ALTER TABLE card_facts DROP COLUMN received_at, DROP COLUMN withdrawn_at, DROP COLUMN withdrawn_event_id`,
    );
  }
}
