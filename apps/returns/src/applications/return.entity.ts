import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReturnChargeKind, ReturnChargePayer, ReturnClass } from '@app/contracts';
import type { RefusalReason, ReturnStatus } from '../receipt/receipt-rules';

/** A dealer's return application (R-RET-1) and its progress: approval, receipt, closing. */
@Entity('return_applications')
export class ReturnApplicationEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq!: string;
  @Column({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @Column({ type: 'varchar', length: 16 }) status!: ReturnStatus;
  @Column({ name: 'application_date', type: 'date' }) applicationDate!: string;
  @Column({ name: 'application_month', type: 'char', length: 7 }) applicationMonth!: string;
  @Column({ type: 'varchar', length: 1000, nullable: true }) note!: string | null;
  @Column({ name: 'applied_by', type: 'varchar', length: 200 }) appliedBy!: string;
  @Column({ name: 'decided_by', type: 'varchar', length: 200, nullable: true }) decidedBy!: string | null;
  @Column({ name: 'decided_on', type: 'date', nullable: true }) decidedOn!: string | null;
  @Column({ name: 'rejection_reason', type: 'varchar', length: 1000, nullable: true }) rejectionReason!: string | null;
  @Column({ name: 'received_by', type: 'varchar', length: 200, nullable: true }) receivedBy!: string | null;
  @Column({ name: 'received_on', type: 'date', nullable: true }) receivedOn!: string | null;
  @Column({ name: 'closed_by', type: 'varchar', length: 200, nullable: true }) closedBy!: string | null;
  @Column({ name: 'closed_on', type: 'date', nullable: true }) closedOn!: string | null;
  @Column({ name: 'carrier_bill_no', type: 'varchar', length: 64, nullable: true }) carrierBillNo!: string | null;
  @Column({ name: 'inbound_freight', type: 'numeric', precision: 14, scale: 2, nullable: true }) inboundFreight!:
    string | null;
  @Column({ name: 'outbound_freight', type: 'numeric', precision: 14, scale: 2, nullable: true }) outboundFreight!:
    string | null;
  @Column({ name: 'return_class', type: 'varchar', length: 16, nullable: true }) returnClass!: ReturnClass | null;
  @Column({ name: 'dealer_total', type: 'numeric', precision: 14, scale: 2, nullable: true }) dealerTotal!:
    string | null;
  @Column({ name: 'manufacturer_total', type: 'numeric', precision: 14, scale: 2, nullable: true }) manufacturerTotal!:
    string | null;
  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', insert: false }) updatedAt!: Date;
}

/** One line of the dealer's detailed list, with the approved class and the manufacturer's count. */
@Entity('return_lines')
export class ReturnLineEntity {
  @PrimaryColumn({ name: 'return_id', type: 'uuid' }) returnId!: string;
  @PrimaryColumn({ name: 'line_no', type: 'int' }) lineNo!: number;
  @Column({ type: 'varchar', length: 64 }) serial!: string;
  @Column({ type: 'varchar', length: 64 }) model!: string;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ name: 'receipt_date', type: 'date' }) receiptDate!: string;
  @Column({ name: 'sale_date', type: 'date', nullable: true }) saleDate!: string | null;
  @Column({ name: 'repair_attempted', type: 'boolean' }) repairAttempted!: boolean;
  @Column({ name: 'transport_damage', type: 'boolean' }) transportDamage!: boolean;
  @Column({ name: 'return_class', type: 'varchar', length: 16, nullable: true }) returnClass!: ReturnClass | null;
  @Column({ name: 'class_reason', type: 'text', nullable: true }) classReason!: string | null;
  @Column({ name: 'batch_defect_id', type: 'uuid', nullable: true }) batchDefectId!: string | null;
  @Column({ name: 'counted_quantity', type: 'int', nullable: true }) countedQuantity!: number | null;
  @Column({ name: 'refused_for', type: 'varchar', length: 16, nullable: true }) refusedFor!: RefusalReason | null;
  @Column({ name: 'refusal_note', type: 'varchar', length: 500, nullable: true }) refusalNote!: string | null;
  @Column({ name: 'charged_quantity', type: 'int', nullable: true }) chargedQuantity!: number | null;
}

/** A refurbishment part used on a line, at the list price given at closing. */
@Entity('return_parts')
export class ReturnPartEntity {
  @PrimaryColumn({ name: 'return_id', type: 'uuid' }) returnId!: string;
  @PrimaryColumn({ type: 'int' }) seq!: number;
  @Column({ name: 'line_no', type: 'int' }) lineNo!: number;
  @Column({ name: 'part_no', type: 'varchar', length: 64 }) partNo!: string;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ name: 'list_price', type: 'numeric', precision: 14, scale: 2 }) listPrice!: string;
}

/** A charge assessed at closing (R-RET-4). */
@Entity('return_charges')
export class ReturnChargeEntity {
  @PrimaryColumn({ name: 'return_id', type: 'uuid' }) returnId!: string;
  @PrimaryColumn({ type: 'int' }) seq!: number;
  @Column({ name: 'rule_id', type: 'varchar', length: 16 }) ruleId!: string;
  @Column({ type: 'varchar', length: 24 }) kind!: ReturnChargeKind;
  @Column({ type: 'varchar', length: 24 }) payer!: ReturnChargePayer;
  @Column({ name: 'return_class', type: 'varchar', length: 16 }) returnClass!: ReturnClass;
  @Column({ name: 'line_nos', type: 'int', array: true }) lineNos!: number[];
  @Column({ type: 'numeric', precision: 14, scale: 2 }) amount!: string;
  @Column({ type: 'varchar', length: 500 }) detail!: string;
}
