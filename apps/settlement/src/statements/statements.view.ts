import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiCount, ApiSignedTotal, ApiTotal, domainProblem, ProblemDoc } from '@app/platform';
import { STATEMENT_LINE_KINDS } from '../engine/statement-line';
import { STATEMENT_STATUSES } from './statement-rules';

/** The answers of the statements feature, as the OpenAPI document shows them. */

const HASH = {
  pattern: '^[0-9a-f]{64}$',
  example: '3b7e0c5a9d1f2e4b6a8c0d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a',
} as const;
const SIGNED_NULLABLE = { nullable: true, type: 'string', pattern: '^-?\\d{1,28}\\.\\d{2}$' } as const;

/** One explained line (R-SET-9): rule, quantity × rate or base × percent, amount, sources. */
export class ExplainedLineView {
  @ApiProperty({ example: 'R-CARD-1', description: 'The DOMAIN rule that made this line' }) ruleId!: string;
  @ApiProperty({ enum: STATEMENT_LINE_KINDS }) kind!: string;
  @ApiProperty({ example: '2026-01', description: 'The month (YYYY-MM) or quarter (YYYY-Qn) of the line' })
  period!: string;
  @ApiProperty({ example: 'Warranty cards accepted: 12 × 15.00' }) description!: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 12, description: 'Units when quantity × rate' })
  quantity!: number | null;
  @ApiProperty({ type: 'string', nullable: true, pattern: '^\\d{1,5}\\.\\d{4}$', example: '15.0000' })
  rate!: string | null;
  @ApiProperty({ ...SIGNED_NULLABLE, example: '183400.61', description: 'Base amount when base × percent' })
  base!: string | null;
  @ApiProperty({ type: 'string', nullable: true, pattern: '^\\d{1,5}\\.\\d{4}$', example: '1.2178' })
  percent!: string | null;
  @ApiSignedTotal({ example: '180.00', description: 'Signed, rounded once (R-MNY-1); invoiced items positive' })
  amount!: string;
  @ApiProperty({ description: 'false for items invoiced to the dealer and informational lines' })
  affectsBalance!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The facts behind the line (event ids, serials, references)',
  })
  sources!: Record<string, unknown>;
}

/** A stored statement line: its position instead of the engine's lineNo. */
export class StatementLineView extends ExplainedLineView {
  @ApiProperty({ description: 'Position in the deterministic order of the statement, from 1', type: 'integer' })
  position!: number;
}

export class StatementTotalsView {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', pattern: '^-?\\d{1,28}\\.\\d{2}$' },
    description: 'Σ amount per line kind',
    example: { ALLOWANCE_ACCRUAL: '180.00' },
  })
  byKind!: Record<string, string>;
  @ApiSignedTotal({ description: 'Allowance accrual after cancellations' }) accrual!: string;
  @ApiSignedTotal({ description: 'Σ parts charged to the allowance (negative)' }) parts!: string;
  @ApiSignedTotal({ description: 'Σ return charges paid from the allowance (negative)' }) returns!: string;
  @ApiSignedTotal({ description: 'Σ penalties (negative)' }) penalties!: string;
  @ApiSignedTotal({ description: 'Σ awards (R-AWD-1)' }) awards!: string;
  @ApiSignedTotal({ description: 'Σ prior-period adjustments (R-SET-7)' }) adjustments!: string;
  @ApiSignedTotal({ description: 'Σ dispute resolutions (R-DSP-2)' }) disputes!: string;
  @ApiSignedTotal({ description: 'Σ lines invoiced to the dealer, outside the balance' }) invoiced!: string;
  @ApiSignedTotal({ description: 'Σ lines affecting the balance' }) net!: string;
}

/** R-SET-4: what the closing becomes. */
export class StatementOutcomeView {
  @ApiTotal() carriedForward!: string;
  @ApiTotal() billedToDealer!: string;
  @ApiTotal() payableToDealer!: string;
  @ApiSignedTotal() nextOpening!: string;
}

/** A posted statement's link in the chain of posted statements (tamper evidence). */
export class StatementChainView {
  @ApiProperty({ type: 'integer', example: 42, description: 'Position in the chain, from 1, in posting order' })
  sequence!: number;
  @ApiProperty({ ...HASH, description: 'chainHash of the previous link (64 zeros for the first)' }) prevHash!: string;
  @ApiProperty({
    ...HASH,
    description:
      'SHA-256 of the canonical JSON of {sequence, statementId, dealerCode, quarter, contentHash, postedAt, prevHash}',
  })
  chainHash!: string;
}

export class StatementView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ enum: STATEMENT_STATUSES, description: 'R-SET-8: DRAFT → APPROVED → POSTED' }) status!: string;
  @ApiProperty({ enum: ['FUND_CARRY_OVER', 'PAYOUT'] }) settlementMode!: string;
  @ApiSignedTotal({ example: '0.00' }) opening!: string;
  @ApiSignedTotal({ description: 'opening + Σ lines affecting the balance' }) closing!: string;
  @ApiProperty({ type: StatementTotalsView }) totals!: StatementTotalsView;
  @ApiProperty({ type: StatementOutcomeView }) outcome!: StatementOutcomeView;
  @ApiProperty({ description: 'SHA-256 of the canonical statement (R-SET-9)' }) contentHash!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) computedByRun!: string | null;
  @ApiProperty() computedBy!: string;
  @ApiProperty({ format: 'date-time' }) computedAt!: string;
  @ApiProperty({ type: 'string', nullable: true }) approvedBy!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) approvedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) postedBy!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) postedAt!: string | null;
  @ApiProperty({
    type: [String],
    example: ['2026-03'],
    description: 'DOMAIN §9: months whose report due time had not passed when the draft was computed',
  })
  pendingMonths!: string[];
  @ApiProperty({ type: StatementChainView, nullable: true, description: 'Its link in the chain, once POSTED' })
  chain!: StatementChainView | null;
}

export class StatementDetailView extends StatementView {
  @ApiProperty({ type: [StatementLineView] }) lines!: StatementLineView[];
  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    description: 'Only on an asOf read: the instant the statement is shown as it stood at',
  })
  asOf?: string;
  @ApiPropertyOptional({
    description:
      'Only on an asOf read: false when the draft was recomputed after asOf, so its lines of then are no longer stored (lines is empty; contentHash and figures are those of then)',
  })
  linesAsOf?: boolean;
}

export class RunErrorView {
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty() message!: string;
}

/** R-SET-2: a quarterly run computing a DRAFT for every dealer with an agreement. */
export class SettlementRunView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty() startedBy!: string;
  @ApiProperty({ enum: ['RUNNING', 'DONE', 'FAILED'] }) status!: string;
  @ApiCount() dealersTotal!: number;
  @ApiCount() dealersDone!: number;
  @ApiProperty({ type: [RunErrorView] }) errors!: RunErrorView[];
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) finishedAt!: string | null;
}

/** R-DSP-1 / R-DSP-2. */
export class DisputeView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['OPEN', 'REJECTED', 'ACCEPTED'] }) status!: string;
  @ApiProperty() raisedBy!: string;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ ...SIGNED_NULLABLE, example: '180.00', description: 'The accepted signed amount' })
  amount!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) note!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) resolvedBy!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '2026-Q2', description: 'Quarter carrying the amount' })
  entersQuarter!: string | null;
}

export class VerificationLineView {
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty({ type: StatementLineView, nullable: true }) stored!: StatementLineView | null;
  @ApiProperty({ type: StatementLineView, nullable: true }) recomputed!: StatementLineView | null;
  @ApiProperty() matches!: boolean;
}

export class ClosingComparisonView {
  @ApiSignedTotal() stored!: string;
  @ApiSignedTotal() recomputed!: string;
}

/** R-SET-9: a frozen statement recomputed from the facts as they were at approval. */
export class VerificationView {
  @ApiProperty({ format: 'uuid' }) statementId!: string;
  @ApiProperty({ example: 'D001' }) dealerCode!: string;
  @ApiProperty({ example: '2026-Q1' }) quarter!: string;
  @ApiProperty({ enum: ['APPROVED', 'POSTED'] }) status!: string;
  @ApiProperty({ format: 'date-time', description: 'The facts are taken as they were at this instant' })
  factsAsOf!: string;
  @ApiProperty() matches!: boolean;
  @ApiProperty() storedHash!: string;
  @ApiProperty() storedLinesHash!: string;
  @ApiProperty() recomputedHash!: string;
  @ApiProperty({ type: ClosingComparisonView }) closing!: ClosingComparisonView;
  @ApiProperty({ type: [VerificationLineView] }) lines!: VerificationLineView[];
}

export class ChainFailureView {
  @ApiProperty({
    type: 'integer',
    example: 42,
    description: 'The sequence of the failing link (0: a statement without one)',
  })
  sequence!: number;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) statementId!: string | null;
  @ApiProperty({
    enum: ['CONTENT_CHANGED', 'LINK_BROKEN', 'MISSING'],
    description:
      "CONTENT_CHANGED: the statement's stored lines or figures no longer give its content hash; LINK_BROKEN: the link's hashes do not follow; MISSING: a link or a chained statement is gone",
  })
  reason!: string;
  @ApiProperty({ example: 'its stored lines and totals no longer give its content hash' }) detail!: string;
}

/** The chain of posted statements recomputed over a range. */
export class ChainVerificationView {
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) from!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) to!: string | null;
  @ApiProperty({ description: 'Every link and statement of the range recomputes to what is stored' }) matches!: boolean;
  @ApiCount({ description: 'Links found matching before the first failure' }) checked!: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 }) firstSequence!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 42 }) lastSequence!: number | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'chainHash of the last matching link' })
  head!: string | null;
  @ApiProperty({ type: ChainFailureView, nullable: true, description: 'The first link that does not match' })
  firstFailure!: ChainFailureView | null;
}

export const QUARTER_PARAM = { name: 'quarter', description: 'The quarter, YYYY-Qn', example: '2026-Q1' };
export const STATEMENT_ID_PARAM = {
  name: 'id',
  description: 'The statement id (UUID)',
  example: '9b2f4c1a-6d3e-4f5a-8b7c-1d2e3f4a5b6c',
};
export const DISPUTE_ID_PARAM = {
  name: 'id',
  description: 'The dispute id (UUID)',
  example: '5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
};

/** The problems of the statements feature (statements.problems.ts), as documented examples. */
const conflict = (code: string, detail: string, description: string, status = 409): ProblemDoc =>
  domainProblem(status, code, detail, description);

export const STATEMENT_NOT_FOUND: ProblemDoc = {
  status: 404,
  detail: 'Statement 9b2f4c1a-6d3e-4f5a-8b7c-1d2e3f4a5b6c was not found.',
  description: 'No statement with this id (or, for a dealer, not its own)',
};
export const DISPUTE_NOT_FOUND: ProblemDoc = {
  status: 404,
  detail: 'Dispute 5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f was not found.',
  description: 'No dispute with this id (or, for a dealer, not its own)',
};
const NOT_COMPUTABLE = conflict(
  'STATEMENT_NOT_COMPUTABLE',
  'No agreement of D001 is in force in 2026-Q1.',
  'The statement cannot be computed from the facts',
);

export const APPROVAL_CONFLICTS: ProblemDoc[] = [
  conflict('STATEMENT_NOT_DRAFT', 'The statement is POSTED; only a DRAFT can be approved (R-SET-8).', 'Not a DRAFT'),
  conflict(
    'SAME_USER_APPROVAL',
    'R-SET-8: the statement must be approved by a finance user other than the one who ran the settlement.',
    'The approver ran the settlement (four eyes)',
  ),
  conflict(
    'MONTHS_PENDING',
    '2026-Q1 cannot be approved yet: the report due time of 2026-03 has not passed (PENDING).',
    'A month of the quarter is still before its report due time (DOMAIN §9)',
  ),
  conflict(
    'DRAFT_OUTDATED',
    'Facts changed since the draft was computed; run the settlement for 2026-Q1 again before approving.',
    'Facts changed since the draft; run the quarter again',
  ),
  NOT_COMPUTABLE,
];

export const DISPUTE_REFUSALS: ProblemDoc[] = [
  conflict('STATEMENT_NOT_POSTED', 'Only a posted statement can be disputed (R-DSP-1).', 'Not posted yet'),
  conflict(
    'DISPUTE_WINDOW_CLOSED',
    'R-DSP-1: the statement was posted 2026-04-20T02:00:00.000Z; disputes were accepted for 3 month(s), until 2026-07-20T02:00:00.000Z.',
    'Past disputeMonths after posting',
    422,
  ),
];

export const VERIFY_CONFLICTS: ProblemDoc[] = [
  conflict(
    'STATEMENT_NOT_FROZEN',
    'Only an approved or posted statement can be verified; a draft is recomputed by a run.',
    'A DRAFT is not verified',
  ),
  NOT_COMPUTABLE,
];

export const RESOLVE_PROBLEMS: ProblemDoc[] = [
  { status: 400 },
  conflict(
    'AMOUNT_REQUIRED',
    'R-DSP-2: an accepted dispute needs the signed amount that enters the next open statement.',
    'ACCEPTED without a non-zero amount',
    400,
  ),
  conflict('AMOUNT_NOT_ALLOWED', 'R-DSP-2: a rejected dispute carries no amount.', 'REJECTED with an amount', 400),
  DISPUTE_NOT_FOUND,
  {
    ...conflict('DISPUTE_ALREADY_RESOLVED', 'Dispute 5c1d… is already ACCEPTED.', 'Already resolved'),
    type: 'dispute-resolved',
  },
];
