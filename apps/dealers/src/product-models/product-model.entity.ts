import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The product catalogue: a card naming a model not here is rejected UNKNOWN_MODEL (R-CARD-1). */
@Entity('product_models')
export class ProductModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) model!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) category!: string | null;
  @Column({ name: 'updated_by', type: 'varchar', length: 200 }) updatedBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
