import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A month whose quarter settlement approved (R-SET-8): nothing of it changes any more. */
@Entity('closed_months')
export class ClosedMonthEntity {
  @PrimaryColumn({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @PrimaryColumn({ type: 'char', length: 7 }) month!: string;
  @Column({ type: 'char', length: 7 }) quarter!: string;
  @Column({ name: 'statement_id', type: 'uuid' }) statementId!: string;
  @Column({ name: 'closed_at', type: 'timestamptz' }) closedAt!: Date;
}
