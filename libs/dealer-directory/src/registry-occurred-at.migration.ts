import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the state of a dealer or an agreement version held here was stated (the occurredAt of
 * the event it came from). The dealers service republishes its registry on a topic of its own
 * while the first events stay on the dealers topic: a consumer of both, or a replay, must not let
 * an older statement overwrite a newer one. Rows from before have none: the next event replaces them.
 */
export class RegistryOccurredAt1768000000100 implements MigrationInterface {
  name = 'RegistryOccurredAt1768000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE known_dealers ADD COLUMN occurred_at timestamptz NULL`);
    await q.query(`ALTER TABLE known_agreements ADD COLUMN occurred_at timestamptz NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE known_agreements DROP COLUMN occurred_at`);
    await q.query(`ALTER TABLE known_dealers DROP COLUMN occurred_at`);
  }
}
