import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '@app/platform';

export class FinanceInputListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Dealer code (dealers always see only their own)' })
  @IsOptional() @IsString() @MaxLength(32) dealer?: string;

  @ApiPropertyOptional({ description: 'A month YYYY-MM or a quarter YYYY-Qn (breaches: a quarter)', example: '2026-Q1' })
  @IsOptional() @Matches(/^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/) period?: string;
}

export class CollectionDto {
  @ApiProperty({ example: 'ERP-RC-2026-0001', description: 'External document number; the input is idempotent on it' }) reference!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-01-15' }) valueDate!: string;
  @ApiProperty({ example: '150000.00' }) amount!: string;
  @ApiPropertyOptional() note?: string;
}

export class PurchaseDto {
  @ApiProperty({ example: 'ERP-INV-2026-0001' }) reference!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-01-20' }) invoiceDate!: string;
  @ApiProperty({ example: '98000.00' }) amount!: string;
  @ApiPropertyOptional() note?: string;
}

export class BreachDto {
  @ApiProperty({ example: 'BR-2026-001' }) reference!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ example: 'sold outside the territory' }) reason!: string;
}
