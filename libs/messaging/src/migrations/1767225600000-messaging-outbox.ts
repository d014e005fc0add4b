import { MigrationInterface, QueryRunner } from 'typeorm';

export class MessagingOutbox1767225600000 implements MigrationInterface {
  name = 'MessagingOutbox1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_messages (
        id           bigserial   PRIMARY KEY,
        event_id     uuid        NOT NULL,
        topic        text        NOT NULL,
        message_key  text        NOT NULL,
        type         text        NOT NULL,
        version      int         NOT NULL,
        envelope     jsonb       NOT NULL,
        headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL,
        attempts     int         NOT NULL DEFAULT 0,
        last_error   text        NULL,
        CONSTRAINT uq_outbox_messages_event_id UNIQUE (event_id)
      )`);
    await q.query(`CREATE INDEX ix_outbox_messages_unpublished ON outbox_messages (id) WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_messages`);
  }
}
