import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AgreementTerms } from '@app/contracts';

/** One version of a dealer's terms; a month is governed by the version in force on its first day (R-AGR-1). */
@Entity('agreements')
export class AgreementEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'effective_from', type: 'date' }) effectiveFrom!: string;
  @Column({ type: 'jsonb' }) terms!: AgreementTerms;
  @Column({ name: 'created_by', type: 'varchar', length: 200 }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
