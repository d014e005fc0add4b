import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ArrayOfObjects, RETURN_CHARGE_KINDS, RETURN_CHARGE_PAYERS, RETURN_CLASSES, ReturnClass } from '@app/contracts';
import { RETURN_STATUSES, ReturnStatus } from '../receipt/receipt-rules';
import {
  ApiAmount,
  ApiTotal,
  DealerFilter,
  IsCalendarDate,
  IsModelCodeInput,
  IsSerialInput,
  MonthFilter,
  PageQuery,
  trimmed,
} from '@app/platform';

export const MAX_RETURN_LINES = 500;

export class ReturnLineInput {
  @ApiProperty({ example: 'EB200-2026-000123', description: 'Frame / machine number' })
  @IsSerialInput()
  serial!: string;

  @ApiProperty({ example: 'EB-200' })
  @IsModelCodeInput()
  model!: string;

  @ApiProperty({ example: 'controller dead, replaced fuse, still dead' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;

  @ApiPropertyOptional({
    type: 'integer',
    default: 1,
    minimum: 1,
    description: 'Units on this line (1 for one serial)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  quantity?: number;

  @ApiProperty({ example: '2026-03-01', description: "The dealer's receipt date of the goods" })
  @IsCalendarDate()
  receiptDate!: string;

  @ApiPropertyOptional({
    example: '2026-03-05',
    nullable: true,
    type: String,
    description: 'Consumer sale date; omit or null for unsold stock',
  })
  @IsOptional()
  @IsCalendarDate()
  saleDate?: string | null;

  @ApiProperty({ description: 'The dealer attempted a repair and it failed' })
  @IsBoolean()
  repairAttempted!: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  transportDamage?: boolean;
}

export class ApplyReturnDto {
  @ApiPropertyOptional({ example: 'two units from the March delivery' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;

  @ApiPropertyOptional({
    example: '2026-03-20',
    format: 'date',
    description:
      'R-SET-10: the application date on the form (default: today in Asia/Shanghai); not in the future. ' +
      'It dates the classification (R-RET-2) and the terms it is read under (R-AGR-1)',
  })
  @IsOptional()
  @IsCalendarDate()
  applicationDate?: string;

  @ApiProperty({ type: [ReturnLineInput], maxItems: MAX_RETURN_LINES })
  @ArrayOfObjects(() => ReturnLineInput, { min: 1, max: MAX_RETURN_LINES })
  lines!: ReturnLineInput[];
}

export class ListReturnsQuery extends PageQuery {
  @DealerFilter({ description: 'Dealer code (ignored for dealer tokens: always their own)' })
  dealer?: string;

  @ApiPropertyOptional({ enum: RETURN_STATUSES, description: 'Only returns in this status' })
  @IsOptional()
  @IsIn(RETURN_STATUSES)
  status?: ReturnStatus;

  @MonthFilter({ example: '2026-03', description: 'Month of the application date' })
  month?: string;
}

export class LineClassInput {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_RETURN_LINES })
  @IsInt()
  @Min(1)
  @Max(MAX_RETURN_LINES)
  lineNo!: number;
  @ApiProperty({ enum: RETURN_CLASSES }) @IsIn(RETURN_CLASSES) returnClass!: ReturnClass;
}

export class ApproveReturnDto {
  @ApiPropertyOptional({
    enum: RETURN_CLASSES,
    description: "Class for every line not listed in `lines`; default: each line's computed class",
  })
  @IsOptional()
  @IsIn(RETURN_CLASSES)
  returnClass?: ReturnClass;

  @ApiPropertyOptional({
    type: [LineClassInput],
    description: 'Class per line; each must be one its dates allow (R-RET-2)',
  })
  @IsOptional()
  @ArrayOfObjects(() => LineClassInput, { max: MAX_RETURN_LINES })
  lines?: LineClassInput[];
}

export class RejectReturnDto {
  @ApiProperty({ example: 'serials not shipped to this dealer' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;
}

export class ClassificationView {
  @ApiProperty({ enum: RETURN_CLASSES }) computedClass!: ReturnClass;
  @ApiProperty({ enum: RETURN_CLASSES, isArray: true }) allowedClasses!: ReturnClass[];
  @ApiProperty() reason!: string;
  @ApiProperty() warrantyEnds!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) batchDefectId!: string | null;
}

export class ReturnLineView {
  @ApiProperty({ type: 'integer' }) lineNo!: number;
  @ApiProperty() serial!: string;
  @ApiProperty() model!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty() receiptDate!: string;
  @ApiProperty({ nullable: true, type: String }) saleDate!: string | null;
  @ApiProperty() repairAttempted!: boolean;
  @ApiProperty() transportDamage!: boolean;
  @ApiProperty({
    type: ClassificationView,
    nullable: true,
    description: 'R-RET-2 from the dates and flags (null when no agreement terms are known)',
  })
  classification!: ClassificationView | null;
  @ApiProperty({ enum: RETURN_CLASSES, nullable: true, description: 'The class approved' })
  returnClass!: ReturnClass | null;
  @ApiProperty({ nullable: true, type: String }) classReason!: string | null;
  @ApiProperty({ nullable: true, type: 'integer' }) countedQuantity!: number | null;
  @ApiProperty({ nullable: true, type: String }) refusedFor!: string | null;
  @ApiProperty({ nullable: true, type: String }) refusalNote!: string | null;
  @ApiProperty({ nullable: true, type: 'integer', description: "The manufacturer's count, 0 when refused (R-RET-3)" })
  chargedQuantity!: number | null;
}

export class ReturnPartView {
  @ApiProperty({ type: 'integer' }) lineNo!: number;
  @ApiProperty() partNo!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiAmount({ example: '180.00' }) listPrice!: string;
}

export class ReturnChargeView {
  @ApiProperty({ example: 'R-RET-4' }) ruleId!: string;
  @ApiProperty({ enum: RETURN_CHARGE_KINDS }) kind!: string;
  @ApiProperty({ enum: RETURN_CHARGE_PAYERS }) payer!: string;
  @ApiProperty({ enum: RETURN_CLASSES }) returnClass!: string;
  @ApiProperty({ type: 'array', items: { type: 'integer' } }) lineNos!: number[];
  @ApiTotal({ example: '60.00' }) amount!: string;
  @ApiProperty() detail!: string;
}

export class ReturnSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty({ enum: RETURN_STATUSES }) status!: ReturnStatus;
  @ApiProperty() applicationDate!: string;
  @ApiProperty({ type: 'integer' }) lineCount!: number;
  @ApiProperty({ enum: RETURN_CLASSES, nullable: true }) returnClass!: ReturnClass | null;
  @ApiProperty({ nullable: true, type: String }) closedOn!: string | null;
  @ApiTotal({ nullable: true, description: "Charged to the dealer's allowance at closing" })
  dealerTotal!: string | null;
}

export class ReturnView extends ReturnSummaryView {
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty() appliedBy!: string;
  @ApiProperty({
    nullable: true,
    type: 'integer',
    description: 'Agreement version whose terms classify the lines (month of the application date, R-AGR-1)',
  })
  termsVersion!: number | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectionReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) receivedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) carrierBillNo!: string | null;
  @ApiTotal({ nullable: true }) inboundFreight!: string | null;
  @ApiTotal({ nullable: true }) outboundFreight!: string | null;
  @ApiTotal({ nullable: true }) manufacturerTotal!: string | null;
  @ApiProperty({ type: [ReturnLineView] }) lines!: ReturnLineView[];
  @ApiProperty({ type: [ReturnPartView] }) parts!: ReturnPartView[];
  @ApiProperty({ type: [ReturnChargeView] }) charges!: ReturnChargeView[];
}
