import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sequences that make delivery provable. The relay gives every outbox row a partition and a
 * gap-free sequence number within (topic, partition) before it is sent, and keeps published
 * rows for a retention period so a consumer can fetch what the broker lost. Consumers keep the
 * next sequence they expect per (group, topic, partition), record what became of every event
 * (applied or dead-lettered), and the gaps they found and filled.
 */
export class EventSequences1767225600004 implements MigrationInterface {
  name = 'EventSequences1767225600004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE outbox_messages ADD COLUMN partition int NULL, ADD COLUMN seq bigint NULL, ADD COLUMN seq_batch bigint NULL`,
    );
    await q.query(`CREATE SEQUENCE outbox_seq_batch`);
    await q.query(
      `CREATE UNIQUE INDEX ux_outbox_messages_seq ON outbox_messages (topic, partition, seq) WHERE seq IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_outbox_messages_numbered ON outbox_messages (seq_batch, id) WHERE published_at IS NULL AND seq IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_outbox_messages_published ON outbox_messages (published_at) WHERE published_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE outbox_sequences (
        topic     text   NOT NULL,
        partition int    NOT NULL,
        last_seq  bigint NOT NULL,
        CONSTRAINT pk_outbox_sequences PRIMARY KEY (topic, partition)
      )`);
    await q.query(`
      ALTER TABLE inbox_processed_events
        ADD COLUMN outcome   text   NOT NULL DEFAULT 'applied' CHECK (outcome IN ('applied', 'dead-lettered')),
        ADD COLUMN reason    text   NULL,
        ADD COLUMN topic     text   NULL,
        ADD COLUMN partition int    NULL,
        ADD COLUMN seq       bigint NULL`);
    await q.query(`
      CREATE TABLE inbox_positions (
        consumer_group text        NOT NULL,
        topic          text        NOT NULL,
        partition      int         NOT NULL,
        next_seq       bigint      NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_inbox_positions PRIMARY KEY (consumer_group, topic, partition)
      )`);
    await q.query(`
      CREATE TABLE consumer_gaps (
        id             bigserial   PRIMARY KEY,
        consumer_group text        NOT NULL,
        topic          text        NOT NULL,
        partition      int         NOT NULL,
        from_seq       bigint      NOT NULL,
        to_seq         bigint      NOT NULL,
        status         text        NOT NULL CHECK (status IN ('OPEN', 'HEALED', 'LOST', 'ACKNOWLEDGED')),
        filled         int         NOT NULL DEFAULT 0,
        lost           int         NOT NULL DEFAULT 0,
        detected_at    timestamptz NOT NULL DEFAULT now(),
        closed_at      timestamptz NULL,
        detail         text        NULL
      )`);
    await q.query(
      `CREATE INDEX ix_consumer_gaps_unresolved ON consumer_gaps (consumer_group) WHERE status IN ('OPEN', 'LOST')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consumer_gaps`);
    await q.query(`DROP TABLE inbox_positions`);
    await q.query(
      `ALTER TABLE inbox_processed_events DROP COLUMN outcome, DROP COLUMN reason, DROP COLUMN topic, DROP COLUMN partition, DROP COLUMN seq`,
    );
    await q.query(`DROP TABLE outbox_sequences`);
    await q.query(`DROP INDEX ix_outbox_messages_published`);
    await q.query(`DROP INDEX ix_outbox_messages_numbered`);
    await q.query(`DROP INDEX ux_outbox_messages_seq`);
    await q.query(`DROP SEQUENCE outbox_seq_batch`);
    await q.query(`ALTER TABLE outbox_messages DROP COLUMN partition, DROP COLUMN seq, DROP COLUMN seq_batch`);
  }
}
