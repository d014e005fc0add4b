import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DEALER_CODE_REGEX, MONEY_REGEX, REFERENCE_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import { ApiAmount, DealerFilter, IsCalendarDate, MonthFilter, PageQuery } from '@app/platform';

/** Fields shared by complaints and violations (DOMAIN §6). */
export class PenaltyInputDto {
  @ApiProperty({ pattern: DEALER_CODE_REGEX.source, example: 'D001' })
  @IsString()
  @Matches(DEALER_CODE_REGEX, { message: 'dealerCode must be a dealer code' })
  dealerCode!: string;

  @ApiProperty({ example: 'ERP-CMP-2026-0001', description: 'External document id; the input is idempotent on it' })
  @Matches(REFERENCE_REGEX, { message: `reference must be ${IDENTIFIER_TEXT.reference}` })
  reference!: string;

  @ApiProperty({ example: '2026-02-14', description: 'Date of the complaint or finding (YYYY-MM-DD)' })
  @IsCalendarDate()
  date!: string;

  @ApiPropertyOptional({
    example: '1000.00',
    pattern: MONEY_REGEX.source,
    description: "CNY; defaults from the terms in force for the date's month (R-AGR-1)",
  })
  @IsOptional()
  @Matches(MONEY_REGEX, {
    message:
      'amount must be a non-negative decimal string with at most 2 places and at most 9999999999.99, e.g. "1000.00"',
  })
  amount?: string;

  @ApiProperty({ example: '顾客投诉维修态度差' }) @IsString() @MinLength(1) @MaxLength(2000) description!: string;
}

export class ListPenaltyInputsQuery extends PageQuery {
  @DealerFilter({ description: 'Dealer code (a dealer always sees only its own)' })
  dealer?: string;
  @MonthFilter({ example: '2026-02', description: 'Only this month' })
  month?: string;
  @ApiPropertyOptional({ example: '2026-01-01', description: 'From this date, inclusive' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;
  @ApiPropertyOptional({ example: '2026-03-31', description: 'To this date, inclusive' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class PenaltyInputView {
  @ApiProperty() id!: string;
  @ApiProperty() reference!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty() date!: string;
  @ApiAmount({ example: '1000.00' }) amount!: string;
  @ApiProperty({ enum: ['GIVEN', 'TERMS'], description: 'Whether the amount was given or defaulted from the terms' })
  amountSource!: string;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Agreement version in force for the month' })
  agreementVersion!: number | null;
  @ApiProperty() description!: string;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() recordedAt!: string;
}
