import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArrayOfObjects, DEALER_CODE_REGEX } from '@app/contracts';
import { DealerFilter, IsCalendarDate, IsModelCodeInput, IsSerialInput, PageQuery } from '@app/platform';
import { MAX_RETURN_LINES } from '../applications/return.dto';
import { REFUSAL_REASONS, RefusalReason } from './receipt-rules';

export class LineCountInput {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_RETURN_LINES })
  @IsInt()
  @Min(1)
  @Max(MAX_RETURN_LINES)
  lineNo!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: "What arrived, as counted by after-sales; it stands over the dealer's list (R-RET-3)",
  })
  @IsInt()
  @Min(0)
  @Max(100000)
  countedQuantity!: number;
  @ApiPropertyOptional({ enum: REFUSAL_REASONS, description: 'Refuse the line: incomplete, untidy or missing parts' })
  @IsOptional()
  @IsIn(REFUSAL_REASONS)
  refusedFor?: RefusalReason;
  @ApiPropertyOptional({ example: 'battery and charger missing' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  refusalNote?: string;
}

export class ReceiveReturnDto {
  @ApiProperty({ type: [LineCountInput], description: 'Every line of the return, once' })
  @ArrayOfObjects(() => LineCountInput, { min: 1, max: MAX_RETURN_LINES })
  lines!: LineCountInput[];

  @ApiPropertyOptional({
    example: '2026-03-25',
    format: 'date',
    description:
      'R-SET-10: the receipt date on the document (default: today in Asia/Shanghai); not in the future, ' +
      'not before the application date',
  })
  @IsOptional()
  @IsCalendarDate()
  receivedOn?: string;
}

export class RefusedItemInput {
  @ApiProperty({ example: 'EB200-2026-000999' })
  @IsSerialInput()
  serial!: string;
  @ApiProperty({ example: 'EB-200' })
  @IsModelCodeInput()
  model!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) @IsInt() @Min(1) @Max(100000) quantity!: number;
}

export class RecordRefusedGoodsDto {
  @ApiProperty({ pattern: DEALER_CODE_REGEX.source, example: 'D001' })
  @IsString()
  @Matches(DEALER_CODE_REGEX, { message: 'dealerCode must be a dealer code' })
  dealerCode!: string;
  @ApiPropertyOptional({ description: 'The application the goods were sent against, when there is one (not approved)' })
  @IsOptional()
  @IsUUID()
  returnId?: string;
  @ApiProperty({ type: [RefusedItemInput] })
  @ArrayOfObjects(() => RefusedItemInput, { min: 1, max: MAX_RETURN_LINES })
  items!: RefusedItemInput[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class RefusedGoodsView {
  @ApiProperty() id!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty({ nullable: true, type: String }) returnId!: string | null;
  @ApiProperty() receivedOn!: string;
  @ApiProperty({ type: [RefusedItemInput] }) items!: RefusedItemInput[];
  @ApiProperty({ example: 'NO_APPROVED_APPLICATION' }) code!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class ListRefusedGoodsQuery extends PageQuery {
  @DealerFilter({ description: 'Dealer code (ignored for dealer tokens: always their own)' })
  dealer?: string;
}
