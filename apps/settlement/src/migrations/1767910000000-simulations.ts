import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What-if simulations on proposed terms: the job (scope, terms, quarters, progress) and one result
 * per dealer and quarter (actual against simulated closing, the lines that changed). Nothing here
 * is read by statements or the ledger.
 */
export class Simulations1767910000000 implements MigrationInterface {
  name = 'Simulations1767910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE simulations (
        id uuid PRIMARY KEY,
        started_by varchar(200) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
        scope jsonb NOT NULL,
        terms jsonb NOT NULL,
        from_quarter char(7) NOT NULL,
        to_quarter char(7) NOT NULL,
        dealers_total int NOT NULL DEFAULT 0,
        dealers_done int NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]'::jsonb,
        started_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX simulations_started ON simulations (started_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE simulation_results (
        simulation_id uuid NOT NULL REFERENCES simulations (id) ON DELETE CASCADE,
        dealer_code varchar(32) NOT NULL,
        quarter char(7) NOT NULL,
        statement_id uuid,
        statement_status varchar(16),
        actual_closing numeric(30, 2),
        simulated_opening numeric(30, 2) NOT NULL,
        simulated_closing numeric(30, 2) NOT NULL,
        difference numeric(30, 2),
        changed_lines jsonb NOT NULL DEFAULT '[]'::jsonb,
        PRIMARY KEY (simulation_id, dealer_code, quarter)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE simulation_results`);
    await q.query(`DROP TABLE simulations`);
  }
}
