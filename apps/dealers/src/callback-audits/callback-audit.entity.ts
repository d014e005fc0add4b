import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CallbackAuditStatus } from './audit-result';

/** A callback audit (R-AUD-1): the seed, the population snapshot and the state; its sample is in callback_audit_samples. */
@Entity('callback_audits')
export class CallbackAuditEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ name: 'report_month', type: 'char', length: 7 }) reportMonth!: string;
  @Column({ type: 'numeric', precision: 9, scale: 4 }) percent!: string;
  @Column({ type: 'varchar', length: 128 }) seed!: string;
  @Column({ name: 'seed_generated', type: 'boolean' }) seedGenerated!: boolean;
  @Column({ name: 'population_count', type: 'int' }) populationCount!: number;
  @Column({ name: 'population_hash', type: 'char', length: 64 }) populationHash!: string;
  @Column({ name: 'population_serials', type: 'text', array: true }) populationSerials!: string[];
  @Column({ name: 'sample_size', type: 'int' }) sampleSize!: number;
  @Column({ type: 'varchar', length: 8, default: 'UNIFORM' }) weighting!: 'UNIFORM' | 'RISK';
  @Column({ name: 'population_scores', type: 'int', array: true, nullable: true }) populationScores!: number[] | null;
  @Column({ name: 'risk_hash', type: 'char', length: 64, nullable: true }) riskHash!: string | null;
  @Column({ type: 'varchar', length: 8 }) status!: CallbackAuditStatus;
  @Column({ name: 'drawn_by', type: 'varchar', length: 200 }) drawnBy!: string;
  @Column({ name: 'drawn_at', type: 'timestamptz' }) drawnAt!: Date;
  @Column({ name: 'closed_by', type: 'varchar', length: 200, nullable: true }) closedBy!: string | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
}
