import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiCount, ApiSignedTotal, ApiTotal } from '@app/platform';
import { RunErrorView, StatementLineView } from '../statements/statements.view';

/** One dealer's stored monthly tally (R-SET-1): month figures and the quarter-to-date balance. */
export class DealerTallyView {
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-01' }) month!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiSignedTotal({ description: 'Allowance accrued in the month' }) monthAccrual!: string;
  @ApiSignedTotal({ description: 'Σ lines of the month affecting the balance' }) monthNet!: string;
  @ApiTotal({ description: 'Invoiced to the dealer in the month, outside the balance' }) monthInvoiced!: string;
  @ApiSignedTotal({ example: '0.00', description: 'The quarter opening, as on the statement' }) opening!: string;
  @ApiSignedTotal({ description: 'Quarter-to-date closing after this month, as on the statement' }) closing!: string;
  @ApiProperty({ enum: ['FINANCE', 'SCHEDULE'] }) trigger!: string;
  @ApiProperty({ format: 'date-time' }) talliedAt!: string;
  @ApiPropertyOptional({ type: [StatementLineView] }) lines?: StatementLineView[];
}

/** The outcome of tallying one month for every dealer. */
export class TallyRunView {
  @ApiProperty({ example: '2026-01' }) month!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ enum: ['FINANCE', 'SCHEDULE'] }) trigger!: string;
  @ApiCount({ description: 'Dealers tallied' }) dealers!: number;
  @ApiProperty() talliedBy!: string;
  @ApiProperty({ format: 'date-time' }) talliedAt!: string;
  @ApiProperty({ type: [RunErrorView], description: 'Dealers that could not be tallied, with the reason' })
  errors!: RunErrorView[];
}

export const MONTH_PARAM = { name: 'month', description: 'The month, YYYY-MM', example: '2026-01' };
