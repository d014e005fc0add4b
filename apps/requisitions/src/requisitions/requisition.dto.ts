import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ArrayOfObjects,
  MAX_COUNT,
  MONEY_REGEX as MONEY,
  PARTS_CHARGING,
  REQUISITION_PURPOSES,
  RequisitionPurpose,
} from '@app/contracts';
import { ApiSignedTotal, ApiTotal, DealerFilter, IsCalendarDate, MonthFilter, PageQuery } from '@app/platform';
import { PART_NO_PATTERN } from '../price-list/price-rules';
import { MAX_REQUISITION_LINES } from './requisition-rules';

export const REQUISITION_STATUSES = ['SUBMITTED', 'APPROVED', 'SHIPPED'] as const;
export type RequisitionStatus = (typeof REQUISITION_STATUSES)[number];

export class RequisitionLineDto {
  @ApiProperty({ pattern: PART_NO_PATTERN.source, example: 'BP-01' })
  @Matches(PART_NO_PATTERN, { message: 'partNo must be 1-64 letters, digits, dots, dashes or underscores' })
  partNo!: string;
  @ApiProperty({ type: 'integer', example: 10, minimum: 1 }) @IsInt() @Min(1) @Max(100000) quantity!: number;
  @ApiProperty({ enum: REQUISITION_PURPOSES }) @IsIn(REQUISITION_PURPOSES) purpose!: RequisitionPurpose;
  @ApiPropertyOptional({
    type: [String],
    example: ['RT-2026-0001'],
    description: 'Repair ticket numbers; required for WARRANTY, none for STOCK',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(64, { each: true })
  repairTickets?: string[];
}

export class FileRequisitionDto {
  @ApiProperty({ description: 'Urgent shipment: the freight difference is invoiced to the dealer (R-PRT-3)' })
  @IsBoolean()
  urgent!: boolean;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) note?: string;
  @ApiPropertyOptional({
    example: '2026-03-28',
    format: 'date',
    description:
      'R-SET-10: the filing date on the requisition form (default: today in Asia/Shanghai); not in the future',
  })
  @IsOptional()
  @IsCalendarDate()
  filedOn?: string;
  @ApiProperty({ type: [RequisitionLineDto] })
  @ArrayOfObjects(() => RequisitionLineDto, { min: 1, max: MAX_REQUISITION_LINES })
  lines!: RequisitionLineDto[];
}

export class ListRequisitionsQuery extends PageQuery {
  @DealerFilter({ description: 'Dealer code (dealers always see only their own)' })
  dealer?: string;
  @ApiPropertyOptional({ enum: REQUISITION_STATUSES, description: 'Only requisitions in this status' })
  @IsOptional()
  @IsIn(REQUISITION_STATUSES)
  status?: RequisitionStatus;
  @MonthFilter({ example: '2026-02', description: 'Month of the filing date (R-SET-10)' })
  month?: string;
}

export class ApproveLineDto {
  @ApiProperty() @IsUUID() lineId!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_COUNT,
    description: 'Approved quantity: up to the quantity requested; 0 cuts the line',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  quantity!: number;
  @ApiPropertyOptional({ description: 'Required when less than requested is approved' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ApproveRequisitionDto {
  @ApiPropertyOptional({
    type: [ApproveLineDto],
    description: 'Lines approved for less than requested or cut; lines not named are approved in full',
  })
  @IsOptional()
  @ArrayOfObjects(() => ApproveLineDto, { max: MAX_REQUISITION_LINES })
  lines?: ApproveLineDto[];
  @ApiPropertyOptional({
    example: '35.00',
    pattern: MONEY.source,
    description: 'R-PRT-3: required for urgent requisitions, invoiced to the dealer',
  })
  @IsOptional()
  @Matches(MONEY, {
    message:
      'urgentFreightDifference must be a non-negative decimal string with at most 2 places and at most 9999999999.99',
  })
  urgentFreightDifference?: string;
  @ApiPropertyOptional({
    example: '2026-03-31',
    format: 'date',
    description:
      'R-SET-10: the approval date on the document (default: today in Asia/Shanghai); not in the future, not before ' +
      'the filing date. It dates the charges (R-PRT-1 prices, R-PRT-2 terms); a date in a quarter already approved ' +
      'for the dealer reaches the next statement as an R-SET-7 prior-period adjustment',
  })
  @IsOptional()
  @IsCalendarDate()
  approvedOn?: string;
}

export class OldPartsLineDto {
  @ApiProperty() @IsUUID() lineId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) @IsInt() @Min(1) @Max(100000) quantity!: number;
}

export class RecordOldPartsDto {
  @ApiProperty({ type: [OldPartsLineDto] })
  @ArrayOfObjects(() => OldPartsLineDto, { min: 1, max: MAX_REQUISITION_LINES })
  lines!: OldPartsLineDto[];
  @ApiPropertyOptional({
    example: '2026-03-01',
    description: 'Date received (default today, Asia/Shanghai); not in the future',
  })
  @IsOptional()
  @IsCalendarDate()
  receivedOn?: string;
}

export class OldPartsStateView {
  @ApiProperty({ type: 'integer' }) owed!: number;
  @ApiProperty({ type: 'integer' }) received!: number;
  @ApiProperty({ type: 'integer' }) outstanding!: number;
  @ApiProperty({ type: 'integer' }) invoicedQuantity!: number;
  @ApiTotal({ nullable: true }) invoicedAmount!: string | null;
  @ApiProperty({ nullable: true, type: String }) invoicedOn!: string | null;
}

export class RequisitionLineView {
  @ApiProperty() lineId!: string;
  @ApiProperty({ type: 'integer' }) lineNo!: number;
  @ApiProperty() partNo!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ enum: REQUISITION_PURPOSES }) purpose!: RequisitionPurpose;
  @ApiProperty({ type: [String] }) repairTickets!: string[];
  @ApiProperty({ nullable: true, type: 'integer' }) approvedQuantity!: number | null;
  @ApiProperty({ nullable: true, type: String }) cutReason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Valued at approval (R-PRT-1)' }) partName!: string | null;
  @ApiTotal({ nullable: true }) listPrice!: string | null;
  @ApiTotal({ nullable: true }) costPrice!: string | null;
  @ApiTotal({ nullable: true }) amount!: string | null;
  @ApiProperty({ nullable: true, enum: PARTS_CHARGING }) chargeTo!: string | null;
  @ApiProperty({ nullable: true, type: OldPartsStateView, description: 'R-PRT-4, WARRANTY lines after approval' })
  oldParts!: OldPartsStateView | null;
}

export class ChargeSummaryView {
  @ApiTotal() total!: string;
  @ApiTotal() toAllowance!: string;
  @ApiTotal() free!: string;
  @ApiTotal() invoicedParts!: string;
  @ApiTotal({ nullable: true }) urgentFreightDifference!: string | null;
  @ApiProperty() invoicedToDealer!: string;
}

export class PreviewLineView {
  @ApiProperty() lineId!: string;
  @ApiProperty({ nullable: true, type: String }) partName!: string | null;
  @ApiTotal({ nullable: true }) listPrice!: string | null;
  @ApiTotal({ nullable: true }) amount!: string | null;
  @ApiProperty({ nullable: true, enum: PARTS_CHARGING }) chargeTo!: string | null;
}

export class RequisitionPreviewView {
  @ApiProperty({ description: "Today's date: prices in force today (the approval date decides, R-PRT-1)" })
  valuedOn!: string;
  @ApiProperty({
    nullable: true,
    type: 'integer',
    description: 'Agreement version in force this month; null when unknown',
  })
  termsVersion!: number | null;
  @ApiProperty({ type: [PreviewLineView] }) lines!: PreviewLineView[];
  @ApiProperty({ type: [String], description: 'Parts without a price today' }) missingPrices!: string[];
  @ApiProperty({ type: ChargeSummaryView, nullable: true }) charges!: ChargeSummaryView | null;
}

export class FundBalanceDto {
  @ApiProperty() quarter!: string;
  @ApiSignedTotal({ example: '1200.00' }) balance!: string;
  @ApiProperty() asOf!: string;
}

export class RequisitionView {
  @ApiProperty() id!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty({ enum: REQUISITION_STATUSES }) status!: RequisitionStatus;
  @ApiProperty() urgent!: boolean;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty() submittedBy!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ example: '2026-03-28', description: 'Filing date on the document (R-SET-10)' }) filedOn!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Approval date on the document (R-SET-10)' })
  approvedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedBy!: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) termsVersion!: number | null;
  @ApiTotal({ nullable: true }) urgentFreightDifference!: string | null;
  @ApiProperty({ nullable: true, type: String }) shippedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) oldPartsDueOn!: string | null;
  @ApiProperty({ type: [RequisitionLineView] }) lines!: RequisitionLineView[];
  @ApiProperty({ type: ChargeSummaryView, nullable: true, description: 'R-PRT-2/3 charges once approved' })
  charges!: ChargeSummaryView | null;
  @ApiPropertyOptional({
    type: RequisitionPreviewView,
    nullable: true,
    description: "Before approval only: value at today's prices and charge targets",
  })
  preview?: RequisitionPreviewView | null;
  @ApiPropertyOptional({
    type: FundBalanceDto,
    nullable: true,
    description: "The dealer's latest tallied fund balance; null when not yet known (R-SET-4)",
  })
  fundBalance?: FundBalanceDto | null;
}
