import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiCount, ApiSignedTotal } from '@app/platform';
import { ExplainedLineView, StatementTotalsView } from '../statements/statements.view';

export class BalanceLineView extends ExplainedLineView {
  @ApiProperty({ type: 'integer', description: 'Position in the order of the lines, from 1' }) lineNo!: number;
}

export class BalanceMonthTallyView {
  @ApiSignedTotal({ example: '1900.00', description: 'The quarter-to-date closing when the month was tallied' })
  closing!: string;
  @ApiSignedTotal() monthAccrual!: string;
  @ApiSignedTotal() monthNet!: string;
  @ApiProperty({ format: 'date-time' }) talliedAt!: string;
  @ApiProperty({ enum: ['FINANCE', 'SCHEDULE'] }) trigger!: string;
}

export class BalanceMonthView {
  @ApiProperty({ example: '2026-01' }) month!: string;
  @ApiProperty({ nullable: true, type: 'integer' }) agreementVersion!: number | null;
  @ApiCount({ description: 'Counted cards (withdrawn and R-AUD-2 excluded cards left out)' }) cards!: number;
  @ApiSignedTotal({ example: '1900.00' }) accrual!: string;
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
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ description: 'A tally is provisional; the quarterly statement is what counts (R-SET-1)' })
  provisional!: boolean;
  @ApiSignedTotal({
    example: '0.00',
    description: "The previous quarter's next opening (R-SET-4), as on the statement",
  })
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
  @ApiSignedTotal({ example: '3100.00', description: 'Allowance accrual after cancellations' }) accrual!: string;
  @ApiSignedTotal({ example: '3100.00', description: 'opening + Σ lines affecting the balance, as on the statement' })
  closing!: string;
  @ApiSignedTotal({ example: '35.00', description: 'Invoiced to the dealer, not in the balance' }) invoiced!: string;
  @ApiProperty({ type: StatementTotalsView, nullable: true, description: 'Totals of the lines so far' })
  totals!: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
}
