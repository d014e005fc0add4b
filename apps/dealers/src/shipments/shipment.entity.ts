import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One import of the shipment registry, kept with its answer so a retry of the reference gets the same one. */
@Entity('shipment_imports')
export class ShipmentImportEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 }) reference!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ name: 'shipped_on', type: 'date' }) shippedOn!: string;
  @Column({ name: 'content_hash', type: 'char', length: 64 }) contentHash!: string;
  @Column({ type: 'int' }) received!: number;
  @Column({ type: 'int' }) registered!: number;
  @Column({ type: 'int' }) rejected!: number;
  @Column({ type: 'jsonb' }) problems!: unknown;
  @Column({ name: 'imported_by', type: 'varchar', length: 200 }) importedBy!: string;
  @CreateDateColumn({ name: 'imported_at', type: 'timestamptz' }) importedAt!: Date;
}

/** A serial the manufacturer shipped: to which dealer, when (R-CARD-1 NOT_SHIPPED_TO_DEALER, SOLD_BEFORE_SHIPPED). */
@Entity('shipped_serials')
export class ShippedSerialEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) serial!: string;
  @Column({ type: 'varchar', length: 64 }) model!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ name: 'shipped_on', type: 'date' }) shippedOn!: string;
  @Column({ type: 'varchar', length: 100 }) reference!: string;
}
