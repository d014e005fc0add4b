import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AMOUNT_REGEX, ArrayOfObjects, IDENTIFIER_TEXT, PART_NO_REGEX } from '@app/contracts';
import { MAX_RETURN_LINES } from '../applications/return.dto';
import { upperCased } from '@app/platform';

export class RefurbishmentPartInput {
  @ApiProperty({ description: 'The return line the part refurbished', minimum: 1, maximum: MAX_RETURN_LINES })
  @IsInt()
  @Min(1)
  @Max(MAX_RETURN_LINES)
  lineNo!: number;
  @ApiProperty({ example: 'CTRL-48V' })
  @Transform(upperCased)
  @IsString()
  @Matches(PART_NO_REGEX, { message: `partNo must be ${IDENTIFIER_TEXT.partNo}` })
  partNo!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100000) quantity!: number;
  @ApiProperty({
    example: '180.00',
    description:
      "Unit list price from the manufacturer's price list in force on the closing date (kept by the requisitions service; " +
      'the returns service has no price list, so after-sales states it here and it is stored with the return)',
  })
  @Matches(AMOUNT_REGEX, {
    message: 'listPrice must be a decimal with two places, at most 9999999999.99, e.g. 180.00',
  })
  listPrice!: string;
}

export class CloseReturnDto {
  @ApiPropertyOptional({ example: 'SF1234567890' }) @IsOptional() @IsString() @MaxLength(64) carrierBillNo?: string;
  @ApiProperty({ example: '60.00', description: 'Carrier bill: dealer → manufacturer, actual amount' })
  @Matches(AMOUNT_REGEX, {
    message: 'inboundFreight must be a decimal with two places, at most 9999999999.99, e.g. 60.00',
  })
  inboundFreight!: string;
  @ApiProperty({ example: '45.00', description: 'Carrier bill: manufacturer → dealer, actual amount' })
  @Matches(AMOUNT_REGEX, {
    message: 'outboundFreight must be a decimal with two places, at most 9999999999.99, e.g. 45.00',
  })
  outboundFreight!: string;
  @ApiPropertyOptional({ type: [RefurbishmentPartInput] })
  @IsOptional()
  @ArrayOfObjects(() => RefurbishmentPartInput, { max: 1000 })
  parts?: RefurbishmentPartInput[];
}
