import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BalanceLineView {
  @ApiProperty() lineNo!: number;
  @ApiProperty() ruleId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() period!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: Number }) quantity!: number | null;
  @ApiProperty({ nullable: true, type: String }) rate!: string | null;
  @ApiProperty({ nullable: true, type: String }) base!: string | null;
  @ApiProperty({ nullable: true, type: String }) percent!: string | null;
  @ApiProperty({ example: '1500.00' }) amount!: string;
  @ApiProperty({ description: 'false for items invoiced to the dealer and informational lines' })
  affectsBalance!: boolean;
  @ApiProperty({ type: Object }) sources!: Record<string, unknown>;
}

export class BalanceMonthTallyView {
  @ApiProperty({ example: '1900.00', description: 'The quarter-to-date closing when the month was tallied' })
  closing!: string;
  @ApiProperty() monthAccrual!: string;
  @ApiProperty() monthNet!: string;
  @ApiProperty() talliedAt!: string;
  @ApiProperty({ enum: ['FINANCE', 'SCHEDULE'] }) trigger!: string;
}

export class BalanceMonthView {
  @ApiProperty() month!: string;
  @ApiProperty({ nullable: true, type: Number }) agreementVersion!: number | null;
  @ApiProperty({ description: 'Counted cards (withdrawn and R-AUD-2 excluded cards left out)' }) cards!: number;
  @ApiProperty({ example: '1900.00' }) accrual!: string;
  @ApiProperty() reportSubmitted!: boolean;
  @ApiProperty({
    description:
      'DOMAIN §9: the report due time has not passed yet (PENDING): no R-REP-4 withholding, its cards accrue provisionally',
  })
  pending!: boolean;
  @ApiPropertyOptional({
    type: BalanceMonthTallyView,
    nullable: true,
    description: 'The stored monthly tally (R-SET-1), once the month was tallied',
  })
  tally!: BalanceMonthTallyView | null;
}

export class BalanceView {
  @ApiProperty() dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ description: 'A tally is provisional; the quarterly statement is what counts (R-SET-1)' })
  provisional!: boolean;
  @ApiProperty({ example: '0.00', description: "The previous quarter's next opening (R-SET-4), as on the statement" })
  opening!: string;
  @ApiProperty({ nullable: true, enum: ['FUND_CARRY_OVER', 'PAYOUT'] }) settlementMode!: string | null;
  @ApiProperty({ type: [BalanceMonthView] }) months!: BalanceMonthView[];
  @ApiProperty({
    type: [String],
    example: ['2026-12'],
    description: 'DOMAIN §9: the months of the quarter whose report due time has not passed (PENDING)',
  })
  pendingMonths!: string[];
  @ApiProperty({ type: [BalanceLineView] }) lines!: BalanceLineView[];
  @ApiProperty({ example: '3100.00', description: 'Allowance accrual after cancellations' }) accrual!: string;
  @ApiProperty({ example: '3100.00', description: 'opening + Σ lines affecting the balance, as on the statement' })
  closing!: string;
  @ApiProperty({ example: '35.00', description: 'Invoiced to the dealer, not in the balance' }) invoiced!: string;
  @ApiProperty({ type: Object, nullable: true }) totals!: Record<string, unknown> | null;
  @ApiProperty() asOf!: string;
}
