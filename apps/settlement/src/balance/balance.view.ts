import { ApiProperty } from '@nestjs/swagger';

export class BalanceLineView {
  @ApiProperty() ruleId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() period!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: Number }) quantity!: number | null;
  @ApiProperty({ nullable: true, type: String }) rate!: string | null;
  @ApiProperty({ nullable: true, type: String }) base!: string | null;
  @ApiProperty({ nullable: true, type: String }) percent!: string | null;
  @ApiProperty({ example: '1500.00' }) amount!: string;
  @ApiProperty({ type: Object }) sources!: Record<string, unknown>;
}

export class BalanceMonthView {
  @ApiProperty() month!: string;
  @ApiProperty({ nullable: true, type: Number }) agreementVersion!: number | null;
  @ApiProperty() cards!: number;
  @ApiProperty({ example: '1900.00' }) accrual!: string;
}

export class BalanceView {
  @ApiProperty() dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ description: 'A tally is provisional; the quarterly statement is what counts (R-SET-1)' }) provisional!: boolean;
  @ApiProperty({ example: '0.00' }) openingBalance!: string;
  @ApiProperty({ type: [BalanceMonthView] }) months!: BalanceMonthView[];
  @ApiProperty({ type: [BalanceLineView] }) lines!: BalanceLineView[];
  @ApiProperty({ example: '3100.00' }) accrual!: string;
  @ApiProperty({ example: '3100.00', description: 'opening + Σ lines' }) balance!: string;
  @ApiProperty() asOf!: string;
}
