import { MigrationInterface, QueryRunner } from 'typeorm';

export class MessagingInbox1767225600001 implements MigrationInterface {
  name = 'MessagingInbox1767225600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbox_processed_events (
        consumer_group text        NOT NULL,
        event_id       uuid        NOT NULL,
        processed_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_inbox_processed_events PRIMARY KEY (consumer_group, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox_processed_events`);
  }
}
