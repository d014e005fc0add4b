import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A POST's answer under its Idempotency-Key, for the whole principal that sent it (`''` for a
 * claim the principal does not have). Written in the transaction of the request's own effects.
 */
@Entity({ name: 'idempotency_records' })
export class IdempotencyRecord {
  @PrimaryColumn({ name: 'principal_sub', type: 'text' })
  principalSub: string;

  @PrimaryColumn({ name: 'principal_role', type: 'text' })
  principalRole: string;

  @PrimaryColumn({ name: 'principal_dealer', type: 'text' })
  principalDealer: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  method: string;

  @Column({ type: 'text' })
  path: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'status_code', type: 'int' })
  statusCode: number;

  /** The body as the client got it (json keeps its text, so a replay is byte for byte the same); null: no body. */
  @Column({ name: 'response_body', type: 'json', nullable: true })
  responseBody: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
