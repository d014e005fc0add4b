import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Append-only: PostgreSQL refuses UPDATE and DELETE on audit_log (trigger in the migration).
 * Hash-chained: AuditLogService assigns ids in chain order and the hashes (audit-chain.ts).
 */
@Entity({ name: 'audit_log' })
@Index('audit_log_dealer_idx', ['dealerCode', 'id'])
@Index('audit_log_entity_idx', ['entityType', 'entityId'])
export class AuditLogEntry {
  /** Gap-free position in the chain; returned by pg as a string. */
  @PrimaryColumn({ type: 'bigint' })
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

  /** The hash of the entry before (64 zeros before the first). */
  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  /** SHA-256 over the canonical JSON of this entry's content and prevHash. */
  @Column({ type: 'text' })
  hash: string;
}
