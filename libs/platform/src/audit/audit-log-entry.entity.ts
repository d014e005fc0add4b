import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only: PostgreSQL refuses UPDATE and DELETE on audit_log (trigger in the migration). */
@Entity({ name: 'audit_log' })
@Index('audit_log_dealer_idx', ['dealerCode', 'id'])
@Index('audit_log_entity_idx', ['entityType', 'entityId'])
export class AuditLogEntry {
  /** bigserial; returned by pg as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'text' })
  role: string;

  @Column({ name: 'dealer_code', type: 'text', nullable: true })
  dealerCode: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  details: Record<string, unknown>;
}
