import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgreementTerms, DealerStatus } from '@app/contracts';

/** This service's copy of the dealer registry, fed by DealerRegistered events. */
@Entity('known_dealers')
export class KnownDealer {
  @PrimaryColumn({ type: 'varchar', length: 32 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) region!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: DealerStatus;
  @Column({ name: 'source_event_id', type: 'uuid' }) sourceEventId!: string;
  /** The occurredAt of the newest event applied; null for rows from before it was kept. */
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true }) occurredAt!: Date | null;
}

/** This service's copy of each agreement version, fed by AgreementVersionSet events. */
@Entity('known_agreements')
export class KnownAgreement {
  @PrimaryColumn({ name: 'dealer_code', type: 'varchar', length: 32 }) dealerCode!: string;
  @PrimaryColumn({ type: 'int' }) version!: number;
  @Column({ name: 'effective_from', type: 'date' }) effectiveFrom!: string;
  @Column({ type: 'jsonb' }) terms!: AgreementTerms;
  @Column({ name: 'source_event_id', type: 'uuid' }) sourceEventId!: string;
  /** The occurredAt of the newest event applied; null for rows from before it was kept. */
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true }) occurredAt!: Date | null;
}
