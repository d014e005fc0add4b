import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ReportFigures } from './report-rules';

/**
 * One dealer's report for one month. `dueAt` is fixed when the sales statistics first come
 * in (the terms in force then decide timeliness); until then it is computed on read.
 */
@Entity('monthly_reports')
export class MonthlyReportEntity {
  @PrimaryColumn({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @PrimaryColumn({ type: 'char', length: 7 }) month!: string;
  @Column({ name: 'first_submitted_at', type: 'timestamptz', nullable: true }) firstSubmittedAt!: Date | null;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt!: Date | null;
  @Column({ type: 'jsonb' }) figures!: ReportFigures;
  @Column({ type: 'text', array: true }) flags!: string[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** One submitted version of one part (R-REP-1: all kept, the latest counts). */
@Entity('monthly_report_parts')
export class MonthlyReportPartEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ type: 'char', length: 7 }) month!: string;
  @Column({ type: 'varchar', length: 32 }) part!: string;
  @Column({ type: 'int' }) version!: number;
  @Column({ type: 'jsonb' }) content!: Record<string, unknown>;
  @Column({ type: 'varchar', length: 8 }) source!: 'API' | 'UPLOAD';
  @Column({ name: 'submitted_by', type: 'varchar', length: 200 }) submittedBy!: string;
  @Column({ name: 'submitted_at', type: 'timestamptz' }) submittedAt!: Date;
}
