import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type WarrantyCardStatus = 'ACCEPTED' | 'WITHDRAWN';

/** An accepted card; a serial has at most one ACCEPTED card, enforced by a partial unique index. */
@Entity('warranty_cards')
export class WarrantyCardEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ name: 'batch_id', type: 'uuid' }) batchId!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ name: 'report_month', type: 'char', length: 7 }) reportMonth!: string;
  @Column({ type: 'varchar', length: 64 }) serial!: string;
  @Column({ type: 'varchar', length: 64 }) model!: string;
  @Column({ name: 'sale_date', type: 'date' }) saleDate!: string;
  @Column({ type: 'varchar', length: 32 }) outlet!: string;
  @Column({ name: 'consumer_name', type: 'varchar', length: 100 }) consumerName!: string;
  @Column({ type: 'varchar', length: 32 }) phone!: string;
  @Column({ type: 'varchar', length: 300 }) address!: string;
  @Column({ type: 'varchar', length: 16 }) status!: WarrantyCardStatus;
  @Column({ type: 'text', array: true }) flags!: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt!: Date | null;
  @Column({ name: 'withdrawn_by', type: 'varchar', length: 200, nullable: true }) withdrawnBy!: string | null;
}

/** A submitted batch: its counts and the answer for each rejected card (accepted cards are the warranty_cards rows of the batch). */
@Entity('warranty_card_batches')
export class WarrantyCardBatchEntity {
  @Column({ primary: true, type: 'uuid' }) id!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ name: 'report_month', type: 'char', length: 7 }) reportMonth!: string;
  @Column({ name: 'submitted_by', type: 'varchar', length: 200 }) submittedBy!: string;
  @Column({ name: 'accepted_count', type: 'int' }) acceptedCount!: number;
  @Column({ name: 'rejected_count', type: 'int' }) rejectedCount!: number;
  @Column({ type: 'jsonb' }) results!: unknown;
  @CreateDateColumn({ name: 'submitted_at', type: 'timestamptz' }) submittedAt!: Date;
}
