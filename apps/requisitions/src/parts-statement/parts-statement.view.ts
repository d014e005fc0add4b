import { ApiProperty } from '@nestjs/swagger';
import { PARTS_CHARGING, REQUISITION_PURPOSES } from '@app/contracts';
import { ApiAmount, ApiCount, ApiTotal } from '@app/platform';

/** The monthly parts statement (R-PRT-5) as the OpenAPI document shows it. */

export class PartsStatementLineView {
  @ApiProperty({ format: 'uuid' }) lineId!: string;
  @ApiProperty({ example: 'CTRL-48V' }) partNo!: string;
  @ApiProperty({ example: '48V 控制器' }) partName!: string;
  @ApiProperty({ enum: REQUISITION_PURPOSES }) purpose!: string;
  @ApiProperty({ type: [String], example: ['RT-2026-0001'] }) repairTickets!: string[];
  @ApiCount() requestedQuantity!: number;
  @ApiCount() approvedQuantity!: number;
  @ApiProperty({ type: 'string', nullable: true }) cutReason!: string | null;
  @ApiAmount({ example: '180.00' }) listPrice!: string;
  @ApiAmount({ example: '120.00' }) costPrice!: string;
  @ApiTotal({ example: '360.00' }) amount!: string;
  @ApiProperty({ enum: PARTS_CHARGING }) chargeTo!: string;
  @ApiCount() oldPartsOwed!: number;
  @ApiCount() oldPartsReceived!: number;
  @ApiCount() oldPartsInvoicedQuantity!: number;
  @ApiTotal({ example: '0.00' }) oldPartsInvoicedAmount!: string;
}

export class PartsStatementRequisitionView {
  @ApiProperty({ format: 'uuid' }) requisitionId!: string;
  @ApiProperty({ format: 'date', example: '2026-01-12' }) approvedOn!: string;
  @ApiProperty() urgent!: boolean;
  @ApiProperty({ type: 'string', nullable: true, pattern: '^\\d{1,28}\\.\\d{2}$', example: '35.00' })
  urgentFreightDifference!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) shippedOn!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) oldPartsDueOn!: string | null;
  @ApiProperty({ type: [PartsStatementLineView] }) lines!: PartsStatementLineView[];
}

export class PartsStatementTotalsView {
  @ApiCount() requisitions!: number;
  @ApiCount() lines!: number;
  @ApiTotal() total!: string;
  @ApiTotal({ description: 'Charged to the allowance fund' }) toAllowance!: string;
  @ApiTotal() free!: string;
  @ApiTotal() invoicedParts!: string;
  @ApiTotal() urgentFreight!: string;
  @ApiCount() oldPartsOwed!: number;
  @ApiCount() oldPartsReceived!: number;
  @ApiCount() oldPartsInvoicedQuantity!: number;
  @ApiTotal() oldPartsInvoicedAmount!: string;
  @ApiTotal({ description: 'INVOICE parts + urgent freight + unreturned old parts at cost, billed outside the fund' })
  invoicedToDealer!: string;
}

export class PartsStatementView {
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-01' }) month!: string;
  @ApiProperty({ type: [PartsStatementRequisitionView] }) requisitions!: PartsStatementRequisitionView[];
  @ApiProperty({ type: PartsStatementTotalsView }) totals!: PartsStatementTotalsView;
}
