import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quarterly runs, statements and their lines, the ledger and disputes (R-SET-2, R-SET-8, R-DSP-1/2),
 * and the triggers that make posted history immutable at the database itself.
 */
export class Statements1767515000000 implements MigrationInterface {
  name = 'Statements1767515000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE settlement_runs (
        id uuid PRIMARY KEY,
        quarter char(7) NOT NULL,
        started_by varchar(200) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
        dealers_total int NOT NULL DEFAULT 0,
        dealers_done int NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]'::jsonb,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX settlement_runs_quarter ON settlement_runs (quarter, started_at)`);

    await q.query(`
      CREATE TABLE statements (
        id uuid PRIMARY KEY,
        dealer_code varchar(32) NOT NULL,
        quarter char(7) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('DRAFT', 'APPROVED', 'POSTED')),
        settlement_mode varchar(20) NOT NULL,
        opening numeric(14,2) NOT NULL,
        closing numeric(14,2) NOT NULL,
        totals jsonb NOT NULL,
        outcome jsonb NOT NULL,
        content_hash char(64) NOT NULL,
        computed_by_run uuid REFERENCES settlement_runs (id),
        computed_by varchar(200) NOT NULL,
        computed_at timestamptz NOT NULL,
        approved_by varchar(200),
        approved_at timestamptz,
        posted_by varchar(200),
        posted_at timestamptz,
        UNIQUE (dealer_code, quarter)
      )`);
    await q.query(`CREATE INDEX statements_quarter ON statements (quarter, dealer_code)`);

    await q.query(`
      CREATE TABLE statement_lines (
        statement_id uuid NOT NULL REFERENCES statements (id),
        position int NOT NULL,
        rule_id varchar(32) NOT NULL,
        kind varchar(48) NOT NULL,
        period varchar(16) NOT NULL,
        description text NOT NULL,
        quantity numeric,
        rate numeric(9,4),
        base numeric(14,2),
        percent numeric(9,4),
        amount numeric(14,2) NOT NULL,
        affects_balance boolean NOT NULL,
        sources jsonb NOT NULL,
        PRIMARY KEY (statement_id, position)
      )`);

    await q.query(`
      CREATE TABLE ledger_entries (
        id bigserial PRIMARY KEY,
        statement_id uuid NOT NULL REFERENCES statements (id),
        dealer_code varchar(32) NOT NULL,
        quarter char(7) NOT NULL,
        account varchar(80) NOT NULL,
        debit numeric(14,2) NOT NULL DEFAULT 0 CHECK (debit >= 0),
        credit numeric(14,2) NOT NULL DEFAULT 0 CHECK (credit >= 0),
        memo text NOT NULL,
        posted_at timestamptz NOT NULL,
        CHECK ((debit = 0) <> (credit = 0))
      )`);
    await q.query(`CREATE INDEX ledger_entries_dealer_quarter ON ledger_entries (dealer_code, quarter, id)`);

    await q.query(`
      CREATE TABLE disputes (
        id uuid PRIMARY KEY,
        statement_id uuid NOT NULL REFERENCES statements (id),
        dealer_code varchar(32) NOT NULL,
        quarter char(7) NOT NULL,
        reason text NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('OPEN', 'REJECTED', 'ACCEPTED')),
        raised_by varchar(200) NOT NULL,
        raised_at timestamptz NOT NULL,
        decision_amount numeric(14,2),
        note text,
        resolved_by varchar(200),
        resolved_at timestamptz,
        resolved_period char(7)
      )`);
    await q.query(`CREATE INDEX disputes_dealer ON disputes (dealer_code, status)`);

    // R-SET-8: PostgreSQL itself refuses to rewrite history.
    await q.query(`
      CREATE FUNCTION settlement_guard_statement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status <> 'DRAFT' THEN
            RAISE EXCEPTION 'statement % is %: it cannot be deleted (R-SET-8)', OLD.id, OLD.status USING ERRCODE = 'check_violation';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status = 'POSTED' THEN
          RAISE EXCEPTION 'statement % is POSTED: it cannot be changed (R-SET-8)', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.status = 'APPROVED' AND NOT (
             NEW.status = 'POSTED' AND NEW.posted_by IS NOT NULL AND NEW.posted_at IS NOT NULL
             AND (NEW.id, NEW.dealer_code, NEW.quarter, NEW.settlement_mode, NEW.opening, NEW.closing, NEW.totals, NEW.outcome,
                  NEW.content_hash, NEW.computed_by_run, NEW.computed_by, NEW.computed_at, NEW.approved_by, NEW.approved_at)
                 IS NOT DISTINCT FROM
                 (OLD.id, OLD.dealer_code, OLD.quarter, OLD.settlement_mode, OLD.opening, OLD.closing, OLD.totals, OLD.outcome,
                  OLD.content_hash, OLD.computed_by_run, OLD.computed_by, OLD.computed_at, OLD.approved_by, OLD.approved_at)) THEN
          RAISE EXCEPTION 'statement % is APPROVED: it is frozen and may only be posted (R-SET-8)', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER statements_immutable BEFORE UPDATE OR DELETE ON statements FOR EACH ROW EXECUTE FUNCTION settlement_guard_statement()`,
    );

    // Statement-level with transition tables: one check per INSERT/UPDATE/DELETE statement, not one lookup per line
    // (a quarterly run writes ~30 lines for each of 10,000 dealers).
    await q.query(`
      CREATE FUNCTION settlement_guard_statement_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        st varchar(16);
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT s.status INTO st FROM new_lines l JOIN statements s ON s.id = l.statement_id WHERE s.status <> 'DRAFT' LIMIT 1;
        ELSE
          SELECT s.status INTO st FROM old_lines l JOIN statements s ON s.id = l.statement_id WHERE s.status <> 'DRAFT' LIMIT 1;
        END IF;
        IF st IS NOT NULL THEN
          RAISE EXCEPTION 'the lines of a % statement cannot be changed (R-SET-8)', st USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER statement_lines_immutable_insert AFTER INSERT ON statement_lines REFERENCING NEW TABLE AS new_lines
      FOR EACH STATEMENT EXECUTE FUNCTION settlement_guard_statement_lines()`);
    await q.query(`CREATE TRIGGER statement_lines_immutable_update AFTER UPDATE ON statement_lines REFERENCING OLD TABLE AS old_lines
      FOR EACH STATEMENT EXECUTE FUNCTION settlement_guard_statement_lines()`);
    await q.query(`CREATE TRIGGER statement_lines_immutable_delete AFTER DELETE ON statement_lines REFERENCING OLD TABLE AS old_lines
      FOR EACH STATEMENT EXECUTE FUNCTION settlement_guard_statement_lines()`);

    await q.query(`
      CREATE FUNCTION settlement_guard_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger entries are append-only (R-SET-8)' USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(
      `CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION settlement_guard_ledger()`,
    );
    await q.query(
      `CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION settlement_guard_ledger()`,
    );
    await q.query(
      `CREATE TRIGGER statements_no_truncate BEFORE TRUNCATE ON statements FOR EACH STATEMENT EXECUTE FUNCTION settlement_guard_ledger()`,
    );
    await q.query(
      `CREATE TRIGGER statement_lines_no_truncate BEFORE TRUNCATE ON statement_lines FOR EACH STATEMENT EXECUTE FUNCTION settlement_guard_ledger()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE disputes`);
    await q.query(`DROP TABLE ledger_entries`);
    await q.query(`DROP TABLE statement_lines`);
    await q.query(`DROP TABLE statements`);
    await q.query(`DROP TABLE settlement_runs`);
    await q.query(`DROP FUNCTION settlement_guard_ledger()`);
    await q.query(`DROP FUNCTION settlement_guard_statement_lines()`);
    await q.query(`DROP FUNCTION settlement_guard_statement()`);
  }
}
