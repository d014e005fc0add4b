import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MONEY_REGEX as MONEY } from '@app/contracts';
import { ApiAmount, IsCalendarDate, PageQuery } from '@app/platform';

const money = {
  message:
    '$property must be a non-negative decimal string with at most 2 places and at most 9999999999.99, e.g. "12.50"',
};

export class SetPartPriceDto {
  @ApiProperty({ example: '刹车片 brake pad' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ pattern: MONEY.source, example: '12.50' }) @Matches(MONEY, money) listPrice!: string;
  @ApiProperty({ pattern: MONEY.source, example: '8.00' }) @Matches(MONEY, money) costPrice!: string;
  @ApiProperty({ example: '2026-01-01', description: 'First day the prices apply (R-PRT-1)' })
  @IsCalendarDate()
  effectiveFrom!: string;
}

export class PartQuery {
  @ApiPropertyOptional({
    example: '2026-02-01',
    description: 'Date of the price in force (default: today, Asia/Shanghai)',
  })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}

export class ListPartsQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '2026-02-01',
    description: 'Date of the prices shown (default: today, Asia/Shanghai)',
  })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}

export class PriceVersionView {
  @ApiProperty() name!: string;
  @ApiAmount({ example: '12.50' }) listPrice!: string;
  @ApiAmount({ example: '8.00' }) costPrice!: string;
  @ApiProperty({ example: '2026-01-01' }) effectiveFrom!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

export class PartView {
  @ApiProperty() partNo!: string;
  @ApiProperty({ description: 'Date the price in force is given for' }) on!: string;
  @ApiProperty({
    type: PriceVersionView,
    nullable: true,
    description: 'Price in force on `on`; null before the first version',
  })
  priceInForce!: PriceVersionView | null;
  @ApiProperty({ type: [PriceVersionView], description: 'Every version, oldest first' }) history!: PriceVersionView[];
}

export class ImportResultView {
  @ApiProperty({ type: 'integer' }) received!: number;
  @ApiProperty({ type: 'integer', description: 'New versions stored' }) created!: number;
  @ApiProperty({ type: 'integer', description: 'Rows identical to a stored version (replays)' }) unchanged!: number;
}
