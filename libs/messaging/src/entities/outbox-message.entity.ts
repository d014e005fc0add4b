import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One event waiting for (or already given to) the relay. Written in the caller's transaction. */
@Entity({ name: 'outbox_messages' })
export class OutboxMessageEntity {
  /** bigserial; string because it may exceed Number.MAX_SAFE_INTEGER. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'json' })
  envelope!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
