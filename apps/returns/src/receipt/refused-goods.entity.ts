import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Goods that arrived without an approved application, recorded as refused (R-RET-1); the loss is the dealer's. */
@Entity('refused_goods')
export class RefusedGoodsEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ name: 'return_id', type: 'uuid', nullable: true }) returnId!: string | null;
  @Column({ name: 'received_on', type: 'date' }) receivedOn!: string;
  @Column({ type: 'jsonb' }) items!: Array<{ serial: string; model: string; quantity: number }>;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  @Column({ type: 'varchar', length: 1000, nullable: true }) note!: string | null;
  @Column({ name: 'recorded_by', type: 'varchar', length: 200 }) recordedBy!: string;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt!: Date;
}
