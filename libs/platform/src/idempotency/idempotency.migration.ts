import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformIdempotency1735689600001 implements MigrationInterface {
  name = 'PlatformIdempotency1735689600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_records (
        principal_sub text NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash char(64) NOT NULL,
        status_code int NULL,
        response_body jsonb NULL,
        state text NOT NULL CHECK (state IN ('IN_PROGRESS', 'DONE')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (principal_sub, key)
      )`);
    await q.query(`CREATE INDEX idempotency_records_created_idx ON idempotency_records (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_records`);
  }
}
