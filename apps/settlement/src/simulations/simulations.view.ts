import { ApiProperty } from '@nestjs/swagger';
import { ApiCount, ApiSignedTotal, ProblemDoc } from '@app/platform';
import { STATEMENT_LINE_KINDS } from '../engine/statement-line';
import { STATEMENT_STATUSES } from '../statements/statement-rules';

/** The answers of the simulations feature, as the OpenAPI document shows them. */

const SIGNED_NULLABLE = { nullable: true, type: 'string', pattern: '^-?\\d{1,28}\\.\\d{2}$' } as const;

export class SimulationScopeView {
  @ApiProperty({ type: [String], required: false, example: ['D001', 'D002'], description: 'The dealers named' })
  dealerCodes?: string[];
  @ApiProperty({ required: false, example: 'East', description: 'Every dealer of this region with an agreement' })
  region?: string;
}

export class SimulationErrorView {
  @ApiProperty({ example: 'D007', description: "The dealer, or '*' when the whole simulation failed" })
  dealerCode!: string;
  @ApiProperty({ required: false, example: '2026-Q1' }) quarter?: string;
  @ApiProperty({ example: 'No statement input could be loaded (no agreement in force in the quarter?).' })
  message!: string;
}

/** A simulation without its results: scope, proposed terms, quarters and progress. */
export class SimulationSummaryView {
  @ApiProperty({ format: 'uuid', example: '0d9c7a3e-5b1f-4e2a-9c8d-7e6f5a4b3c2d' }) id!: string;
  @ApiProperty({ example: 'finance-user-1' }) startedBy!: string;
  @ApiProperty({ enum: ['RUNNING', 'DONE', 'FAILED'] }) status!: string;
  @ApiProperty({ type: SimulationScopeView }) scope!: SimulationScopeView;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The proposed terms, complete (seed defaults applied, R-AGR-1)',
    example: { allowanceBasis: 'PER_CARD', settlementMode: 'FUND_CARRY_OVER', unitRate: '18.00' },
  })
  terms!: Record<string, unknown>;
  @ApiProperty({ example: '2026-Q1' }) fromQuarter!: string;
  @ApiProperty({ example: '2026-Q2' }) toQuarter!: string;
  @ApiCount({ example: 120, description: 'Dealers simulated' }) dealersTotal!: number;
  @ApiCount({ example: 40, description: 'Dealers done (every quarter of theirs)' }) dealersDone!: number;
  @ApiProperty({ type: [SimulationErrorView], description: 'Dealers and quarters that could not be simulated' })
  errors!: SimulationErrorView[];
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) finishedAt!: string | null;
}

export class QuarterTotalsView {
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiCount({ description: 'Dealers with a result in the quarter' }) dealers!: number;
  @ApiCount({ example: 0, description: 'Of them, dealers without a statement (left out of actual and difference)' })
  dealersWithoutStatement!: number;
  @ApiCount({ example: 3, description: 'Dealers whose closing or lines changed' }) dealersChanged!: number;
  @ApiSignedTotal({ example: '150000.00', description: 'Σ actual closing (dealers with a statement)' })
  actualClosing!: string;
  @ApiSignedTotal({ example: '152400.00', description: 'Σ simulated closing (every dealer)' })
  simulatedClosing!: string;
  @ApiSignedTotal({ example: '2400.00', description: 'Σ simulated − actual (dealers with a statement)' })
  difference!: string;
}

/** A simulation with its progress and its totals per quarter. */
export class SimulationView extends SimulationSummaryView {
  @ApiProperty({ type: [String], example: ['2026-Q1', '2026-Q2'] }) quarters!: string[];
  @ApiProperty({ type: [QuarterTotalsView], description: 'Totals per quarter of the results so far' })
  totals!: QuarterTotalsView[];
}

export class ChangedLineView {
  @ApiProperty({ example: 'R-CARD-1', description: 'The DOMAIN rule that made the line' }) ruleId!: string;
  @ApiProperty({ enum: STATEMENT_LINE_KINDS }) kind!: string;
  @ApiProperty({ example: '2026-01' }) period!: string;
  @ApiProperty({ example: 'Warranty cards accepted: 12 × 18.00' }) description!: string;
  @ApiProperty({ ...SIGNED_NULLABLE, example: '180.00', description: 'null: not in the actual statement' })
  actualAmount!: string | null;
  @ApiProperty({ ...SIGNED_NULLABLE, example: '216.00', description: 'null: not in the simulation' })
  simulatedAmount!: string | null;
  @ApiSignedTotal({ example: '36.00', description: 'simulated − actual' }) difference!: string;
}

/** One dealer and quarter: the stored statement's closing beside the simulated one. */
export class SimulationResultView {
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'null: no statement of the quarter' })
  statementId!: string | null;
  @ApiProperty({ enum: STATEMENT_STATUSES, nullable: true, type: 'string' }) statementStatus!: string | null;
  @ApiProperty({ ...SIGNED_NULLABLE, example: '1180.00', description: 'The stored closing; null without a statement' })
  actualClosing!: string | null;
  @ApiSignedTotal({ example: '1000.00', description: 'Chained from the previous simulated quarter (R-SET-4)' })
  simulatedOpening!: string;
  @ApiSignedTotal({ example: '1216.00' }) simulatedClosing!: string;
  @ApiProperty({ ...SIGNED_NULLABLE, example: '36.00', description: 'simulated − actual; null without a statement' })
  difference!: string | null;
  @ApiProperty({ type: [ChangedLineView], description: 'The lines that changed, with their rule ids' })
  changedLines!: ChangedLineView[];
}

export const SIMULATION_ID_PARAM = {
  name: 'id',
  description: 'The simulation id (UUID) returned when it was started',
  example: '0d9c7a3e-5b1f-4e2a-9c8d-7e6f5a4b3c2d',
};

export const SIMULATION_NOT_FOUND: ProblemDoc = {
  status: 404,
  detail: 'Simulation 0d9c7a3e-5b1f-4e2a-9c8d-7e6f5a4b3c2d was not found.',
  description: 'No simulation with this id',
};
