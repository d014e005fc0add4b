import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox only stores an envelope and forwards it: `json` keeps the text as the producer
 * wrote it (validated, not decomposed as `jsonb` would be — measurable for a 5,000-card batch),
 * and the relay sends that text unchanged. The `->` / `->>` operators still work for queries.
 */
export class OutboxEnvelopeText1767225600002 implements MigrationInterface {
  name = 'OutboxEnvelopeText1767225600002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_messages ALTER COLUMN envelope TYPE json USING envelope::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_messages ALTER COLUMN envelope TYPE jsonb USING envelope::jsonb`);
  }
}
