import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AMOUNT_REGEX, ArrayOfObjects, IDENTIFIER_TEXT, PART_NO_REGEX } from '@app/contracts';
import { ApiAmount, IsCalendarDate } from '@app/platform';
import { MAX_RETURN_LINES } from '../applications/return.dto';

export class RefurbishmentPartInput {
  @ApiProperty({
    type: 'integer',
    description: 'The return line the part refurbished',
    minimum: 1,
    maximum: MAX_RETURN_LINES,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_RETURN_LINES)
  lineNo!: number;
  @ApiProperty({
    example: 'CTRL-48V',
    description:
      'Part number as on the price list (R-PRT-1), compared exactly. The part is valued at its list price in force on the ' +
      'closing date, as this service learned it from the requisitions service (R-RET-4); a price cannot be given here.',
  })
  @IsString()
  @Matches(PART_NO_REGEX, { message: `partNo must be ${IDENTIFIER_TEXT.partNo}` })
  partNo!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) @IsInt() @Min(1) @Max(100000) quantity!: number;
}

export class CloseReturnDto {
  @ApiPropertyOptional({ example: 'SF1234567890' }) @IsOptional() @IsString() @MaxLength(64) carrierBillNo?: string;
  @ApiAmount({ example: '60.00', description: 'Carrier bill: dealer → manufacturer, actual amount' })
  @Matches(AMOUNT_REGEX, {
    message: 'inboundFreight must be a decimal with two places, at most 9999999999.99, e.g. 60.00',
  })
  inboundFreight!: string;
  @ApiAmount({ example: '45.00', description: 'Carrier bill: manufacturer → dealer, actual amount' })
  @Matches(AMOUNT_REGEX, {
    message: 'outboundFreight must be a decimal with two places, at most 9999999999.99, e.g. 45.00',
  })
  outboundFreight!: string;
  @ApiPropertyOptional({
    type: [RefurbishmentPartInput],
    description: 'Refurbishment parts used, valued at the list price in force on the closing date (R-RET-4)',
  })
  @IsOptional()
  @ArrayOfObjects(() => RefurbishmentPartInput, { max: 1000 })
  parts?: RefurbishmentPartInput[];
  @ApiPropertyOptional({
    example: '2026-03-31',
    format: 'date',
    description:
      'R-SET-10: the closing date on the document (default: today in Asia/Shanghai); not in the future, not before ' +
      'the receipt date. It dates the charges (R-SET-10); a date in a quarter already approved for the dealer ' +
      'reaches the next statement as an R-SET-7 prior-period adjustment',
  })
  @IsOptional()
  @IsCalendarDate()
  closedOn?: string;
}
