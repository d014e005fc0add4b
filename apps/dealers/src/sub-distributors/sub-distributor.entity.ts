import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A dealer's sub-distributor (分销商): its sales count as the dealer's; its code is a valid card outlet. */
@Entity('sub_distributors')
export class SubDistributorEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) code!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) region!: string | null;
  @Column({ name: 'created_by', type: 'varchar', length: 200 }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
