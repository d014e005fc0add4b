import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DealerFilter, PageQuery } from '@app/platform';

export class FinanceInputListQuery extends PageQuery {
  @DealerFilter({ description: 'Dealer code (dealers always see only their own)' })
  dealer?: string;

  @ApiPropertyOptional({
    description: 'A month YYYY-MM or a quarter YYYY-Qn from 2000 to 2099 (breaches: a quarter)',
    example: '2026-Q1',
  })
  @IsOptional()
  @Matches(/^20\d{2}-((0[1-9]|1[0-2])|Q[1-4])$/, {
    message: 'period must be a month YYYY-MM or a quarter YYYY-Qn from 2000 to 2099',
  })
  period?: string;
}

export class CollectionDto {
  @ApiProperty({ example: 'ERP-RC-2026-0001', description: 'External document number; the input is idempotent on it' })
  reference!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-01-15', description: 'From 2000-01-01 to 2099-12-31' }) valueDate!: string;
  @ApiProperty({
    example: '150000.00',
    description: 'Decimal string, at most 2 places, at most 9999999999.99',
    pattern: '^\\d{1,10}(\\.\\d{1,2})?$',
  })
  amount!: string;
  @ApiPropertyOptional() note?: string;
}

export class PurchaseDto {
  @ApiProperty({ example: 'ERP-INV-2026-0001' }) reference!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-01-20', description: 'From 2000-01-01 to 2099-12-31' }) invoiceDate!: string;
  @ApiProperty({
    example: '98000.00',
    description: 'Decimal string, at most 2 places, at most 9999999999.99',
    pattern: '^\\d{1,10}(\\.\\d{1,2})?$',
  })
  amount!: string;
  @ApiPropertyOptional() note?: string;
}

export class BreachDto {
  @ApiProperty({ example: 'BR-2026-001' }) reference!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ example: 'sold outside the territory' }) reason!: string;
}
