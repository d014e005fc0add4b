import { MigrationInterface, QueryRunner } from 'typeorm';
import { chainLink, GENESIS_HASH } from '../statements/statement-chain';

/**
 * The tamper-evident chain of posted statements (each link hashes the previous one, genesis 64 zeros),
 * the history of every statement's status and content (what an "as of" read shows), and the index
 * that gives a ledger account's running balance. Both new tables are append-only; statements posted
 * or stored before this migration are back-filled in posting (history: event) order.
 */
export class StatementChainAndHistory1767920000000 implements MigrationInterface {
  name = 'StatementChainAndHistory1767920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE statement_chain (
        sequence bigint PRIMARY KEY CHECK (sequence > 0),
        statement_id uuid NOT NULL UNIQUE REFERENCES statements (id),
        prev_hash char(64) NOT NULL,
        chain_hash char(64) NOT NULL UNIQUE
      )`);
    await q.query(`
      CREATE TABLE statement_status_history (
        id bigserial PRIMARY KEY,
        statement_id uuid NOT NULL REFERENCES statements (id),
        status varchar(16) NOT NULL,
        content_hash char(64) NOT NULL,
        opening numeric(30,2) NOT NULL,
        closing numeric(30,2) NOT NULL,
        totals jsonb NOT NULL,
        outcome jsonb NOT NULL,
        at timestamptz NOT NULL,
        by varchar(200) NOT NULL
      )`);
    await q.query(`CREATE INDEX statement_status_history_at ON statement_status_history (statement_id, at, id)`);
    await q.query(`CREATE INDEX ledger_entries_account ON ledger_entries (account, id)`);
    await q.query(`
      CREATE FUNCTION settlement_guard_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
      END $$`);
    for (const table of ['statement_chain', 'statement_status_history']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION settlement_guard_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION settlement_guard_append_only()`);
    }
    // Every change of status or content is kept with the instant and the user the application recorded;
    // statement-level, so a run storing 10,000 drafts writes their history in one INSERT.
    const history = (from: string, where: string) => `
      INSERT INTO statement_status_history (statement_id, status, content_hash, opening, closing, totals, outcome, at, by)
      SELECT n.id, n.status, n.content_hash, n.opening, n.closing, n.totals, n.outcome,
        CASE n.status WHEN 'POSTED' THEN n.posted_at WHEN 'APPROVED' THEN n.approved_at ELSE n.computed_at END,
        CASE n.status WHEN 'POSTED' THEN n.posted_by WHEN 'APPROVED' THEN n.approved_by ELSE n.computed_by END
      FROM ${from} WHERE ${where} ORDER BY n.id`;
    await q.query(`
      CREATE FUNCTION settlement_statement_history_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${history('new_rows n', 'true')};
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION settlement_statement_history_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${history('new_rows n JOIN old_rows o ON o.id = n.id', 'n.status <> o.status OR n.content_hash <> o.content_hash')};
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER statements_history_insert AFTER INSERT ON statements REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION settlement_statement_history_insert()`);
    await q.query(`CREATE TRIGGER statements_history_update AFTER UPDATE ON statements
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION settlement_statement_history_update()`);
    await this.backFillHistory(q);
    await this.backFillChain(q);
  }

  /** What is known of the statements stored so far: computed, approved and posted, each at its own instant. */
  private async backFillHistory(q: QueryRunner): Promise<void> {
    const insert = (status: string, at: string, by: string, where: string) =>
      q.query(`INSERT INTO statement_status_history (statement_id, status, content_hash, opening, closing, totals, outcome, at, by)
        SELECT id, '${status}', content_hash, opening, closing, totals, outcome, ${at}, ${by} FROM statements WHERE ${where}
        ORDER BY ${at}, id`);
    await insert('DRAFT', 'computed_at', 'computed_by', 'true');
    await insert('APPROVED', 'approved_at', 'approved_by', 'approved_at IS NOT NULL');
    await insert('POSTED', 'posted_at', 'posted_by', `status = 'POSTED' AND posted_at IS NOT NULL`);
  }

  /** The statements posted so far, chained in posting order. */
  private async backFillChain(q: QueryRunner): Promise<void> {
    const posted: Array<{ id: string; dealer_code: string; quarter: string; content_hash: string; posted_at: Date }> =
      await q.query(
        `SELECT id, dealer_code, trim(quarter) AS quarter, trim(content_hash) AS content_hash, posted_at FROM statements
         WHERE status = 'POSTED' ORDER BY posted_at, id`,
      );
    let prevHash = GENESIS_HASH;
    for (const [i, s] of posted.entries()) {
      const link = chainLink(
        {
          statementId: s.id,
          dealerCode: s.dealer_code,
          quarter: s.quarter,
          contentHash: s.content_hash,
          postedAt: new Date(s.posted_at).toISOString(),
        },
        i + 1,
        prevHash,
      );
      await q.query(
        `INSERT INTO statement_chain (sequence, statement_id, prev_hash, chain_hash) VALUES ($1, $2, $3, $4)`,
        [link.sequence, s.id, link.prevHash, link.chainHash],
      );
      prevHash = link.chainHash;
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER statements_history_update ON statements`);
    await q.query(`DROP TRIGGER statements_history_insert ON statements`);
    await q.query(`DROP FUNCTION settlement_statement_history_update()`);
    await q.query(`DROP FUNCTION settlement_statement_history_insert()`);
    await q.query(`DROP TABLE statement_status_history`);
    await q.query(`DROP TABLE statement_chain`);
    await q.query(`DROP FUNCTION settlement_guard_append_only()`);
    await q.query(`DROP INDEX ledger_entries_account`);
  }
}
