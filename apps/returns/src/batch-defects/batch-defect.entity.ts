import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A batch of one model declared defective by after-sales (R-RET-2 BATCH_DEFECT). */
@Entity('batch_defects')
export class BatchDefectEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq!: string;
  @Column({ type: 'varchar', length: 64 }) model!: string;
  @Column({ name: 'serial_from', type: 'varchar', length: 64 }) serialFrom!: string;
  @Column({ name: 'serial_to', type: 'varchar', length: 64 }) serialTo!: string;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  @Column({ name: 'declared_by', type: 'varchar', length: 200 }) declaredBy!: string;
  @Column({ name: 'declared_at', type: 'timestamptz', insert: false, update: false }) declaredAt!: Date;
}
