import { ApiProperty } from '@nestjs/swagger';
import { ApiSignedTotal, ApiTotal } from '@app/platform';

/** One double-entry ledger entry written when a statement was posted (R-SET-8). */
export class LedgerEntryView {
  @ApiProperty({ pattern: '^\\d{1,18}$', example: '311', description: 'Sequence number (a bigint as a string)' })
  id!: string;
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ example: 'dealer-fund:D001', description: 'Account, e.g. dealer-fund:D001, receivable:D001' })
  account!: string;
  @ApiTotal({ example: '0.00' }) debit!: string;
  @ApiTotal({ example: '2012.50' }) credit!: string;
  @ApiProperty({ example: 'R-PRT-2 parts charged 2026-Q1' }) memo!: string;
  @ApiProperty({ format: 'date-time' }) postedAt!: string;
  @ApiSignedTotal({
    example: '-2012.50',
    description: "The account's balance (Σ debit − credit) after this entry, in posting order",
  })
  runningBalance!: string;
}

/** One event settlement consumed (R-SET-9 explainability). */
export class ConsumedEventView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'WarrantyCardsAccepted' }) type!: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'Version of the event type' }) version!: number;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ example: 'dealers' }) producer!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ type: 'string', nullable: true }) causationId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event payload as received' })
  payload!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) consumedAt!: string;
}
