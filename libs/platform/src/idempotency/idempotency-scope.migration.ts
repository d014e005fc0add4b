import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers are keyed by the whole principal (sub, role, dealer) and stored only with the request's
 * effects, so there is no IN_PROGRESS state any more: such rows are dropped. Answers stored
 * before this migration know only their sub; they keep role and dealer '' and are still replayed
 * to that sub until they expire, so a retry sent across the upgrade does not run twice.
 */
export class PlatformIdempotencyScope1735689600002 implements MigrationInterface {
  name = 'PlatformIdempotencyScope1735689600002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotency_records WHERE state <> 'DONE' OR status_code IS NULL`);
    await q.query(`
      ALTER TABLE idempotency_records
        DROP CONSTRAINT idempotency_records_pkey,
        DROP COLUMN state,
        ADD COLUMN principal_role text NOT NULL DEFAULT '',
        ADD COLUMN principal_dealer text NOT NULL DEFAULT '',
        ALTER COLUMN status_code SET NOT NULL,
        ALTER COLUMN response_body TYPE json USING response_body::json`);
    await q.query(`
      ALTER TABLE idempotency_records
        ALTER COLUMN principal_role DROP DEFAULT,
        ALTER COLUMN principal_dealer DROP DEFAULT,
        ADD PRIMARY KEY (principal_sub, principal_role, principal_dealer, key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The older table has one answer per (sub, key): the newest one stays.
    await q.query(`
      DELETE FROM idempotency_records r
       WHERE EXISTS (SELECT 1 FROM idempotency_records n
                      WHERE n.principal_sub = r.principal_sub AND n.key = r.key
                        AND (n.created_at, n.principal_role, n.principal_dealer) > (r.created_at, r.principal_role, r.principal_dealer))`);
    await q.query(`
      ALTER TABLE idempotency_records
        DROP CONSTRAINT idempotency_records_pkey,
        DROP COLUMN principal_role,
        DROP COLUMN principal_dealer,
        ADD COLUMN state text NOT NULL DEFAULT 'DONE' CHECK (state IN ('IN_PROGRESS', 'DONE')),
        ALTER COLUMN status_code DROP NOT NULL,
        ALTER COLUMN response_body TYPE jsonb USING response_body::jsonb,
        ADD PRIMARY KEY (principal_sub, key)`);
    await q.query(`ALTER TABLE idempotency_records ALTER COLUMN state DROP DEFAULT`);
  }
}
