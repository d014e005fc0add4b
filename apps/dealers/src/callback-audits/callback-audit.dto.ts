import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { AUDIT_RESULTS, AuditResult, DEALER_CODE_REGEX, MONTH_REGEX as MONTH, RATE_REGEX } from '@app/contracts';
import { ApiRate, DealerFilter, PageQuery } from '@app/platform';
import { RISK_SIGNAL_CODES, RiskSignalCode } from './risk-signals';
import { AUDIT_WEIGHTINGS, AuditWeighting } from './risk-sample';

const monthRule = { message: 'month must be YYYY-MM from 2000-01 to 2099-12' };

/** R-AUD-1: draw a sample of a dealer's accepted cards for a report month. */
export class DrawCallbackAuditDto {
  @ApiProperty({ pattern: DEALER_CODE_REGEX.source, example: 'D001' })
  @IsString()
  @Matches(DEALER_CODE_REGEX, { message: 'dealerCode must be a dealer code' })
  dealerCode!: string;
  @ApiProperty({ pattern: MONTH.source, example: '2026-01', description: 'Report month of the cards (YYYY-MM)' })
  @Matches(MONTH, monthRule)
  month!: string;
  @ApiProperty({
    example: '10.00',
    pattern: RATE_REGEX.source,
    description:
      "Percentage of the month's accepted cards to sample, above 0 and at most 100; the size is ceil(n × percent / 100)",
  })
  @Matches(RATE_REGEX, { message: 'percent must be a decimal string with at most 4 places, e.g. "10.00"' })
  percent!: string;
  @ApiPropertyOptional({
    description:
      'Seed of the draw (1-128 visible ASCII characters); a random one is generated and stored when left out',
  })
  @IsOptional()
  @Matches(/^[\x21-\x7E]{1,128}$/, { message: 'seed must be 1-128 visible ASCII characters' })
  seed?: string;
  @ApiPropertyOptional({
    enum: AUDIT_WEIGHTINGS,
    default: 'UNIFORM',
    example: 'RISK',
    description:
      'UNIFORM: every card equally likely. RISK: each card drawn with probability proportional to its risk score (1 plus the weights of the risk signals that fire: shared phone or address, serial runs, month-end clusters, more cards than units sold, earlier falsified cards); the scores are stored with the audit so a redraw gives the same sample · 抽样方式：UNIFORM 等概率；RISK 按风险分加权抽样，风险分随抽查保存，可复现',
  })
  @IsOptional()
  @IsIn(AUDIT_WEIGHTINGS)
  weighting?: AuditWeighting;
}

export class RecordAuditResultDto {
  @ApiProperty({ enum: AUDIT_RESULTS }) @IsIn(AUDIT_RESULTS) result!: AuditResult;
  @ApiPropertyOptional({ example: '顾客确认购买' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional({ description: 'The audit, needed only when the card is sampled by two open audits' })
  @IsOptional()
  @IsUUID()
  auditId?: string;
}

export class ListCallbackAuditsQuery extends PageQuery {
  @DealerFilter({ example: 'D001' })
  dealer?: string;
  @ApiPropertyOptional({ pattern: MONTH.source, example: '2026-01' })
  @IsOptional()
  @Matches(MONTH, monthRule)
  month?: string;
  @ApiPropertyOptional({ enum: ['OPEN', 'CLOSED'], description: 'Only audits in this status' })
  @IsOptional()
  @IsIn(['OPEN', 'CLOSED'])
  status?: 'OPEN' | 'CLOSED';
}

export class RiskSignalView {
  @ApiProperty({
    enum: RISK_SIGNAL_CODES,
    example: 'PHONE_AT_OTHER_DEALERS',
    description: 'The risk signal that fired · 触发的风险信号',
  })
  code!: RiskSignalCode;
  @ApiProperty({ type: 'integer', example: 4, description: 'What the signal adds to the score · 该信号增加的风险分' })
  weight!: number;
  @ApiProperty({
    example: 'the phone is on cards of 2 dealers',
    description: "Why it fired, in the request's language · 触发原因（按请求语言）",
  })
  reason!: string;
}

export class SampledCardView {
  @ApiProperty({ type: 'integer', description: 'Rank in the draw, from 1' }) position!: number;
  @ApiProperty() serial!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ enum: AUDIT_RESULTS, nullable: true }) result!: AuditResult | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ nullable: true, type: String }) recordedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) recordedAt!: string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 8,
    description:
      'RISK audits: the risk score the card was drawn with (1 plus the weights of its signals); null for UNIFORM · 风险分',
  })
  score!: number | null;
  @ApiProperty({
    type: [RiskSignalView],
    description: 'RISK audits: the signals that made the card likelier to be drawn; empty for UNIFORM · 触发的风险信号',
  })
  signals!: RiskSignalView[];
}

export class AuditResultCounts {
  @ApiProperty({ type: 'integer' }) verified!: number;
  @ApiProperty({ type: 'integer' }) falsified!: number;
  @ApiProperty({ type: 'integer' }) incomplete!: number;
  @ApiProperty({ type: 'integer' }) pending!: number;
}

export class CallbackAuditSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty() reportMonth!: string;
  @ApiRate({ example: '10.0000' }) percent!: string;
  @ApiProperty() seed!: string;
  @ApiProperty({ description: 'True when the seed was generated by the service' }) seedGenerated!: boolean;
  @ApiProperty({ type: 'integer' }) populationCount!: number;
  @ApiProperty({ description: 'SHA-256 of the population serials, sorted and joined by newline' })
  populationHash!: string;
  @ApiProperty({ type: 'integer' }) sampleSize!: number;
  @ApiProperty({ enum: AUDIT_WEIGHTINGS, example: 'RISK', description: 'How the sample was drawn · 抽样方式' })
  weighting!: AuditWeighting;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'] }) status!: string;
  @ApiProperty() drawnBy!: string;
  @ApiProperty() drawnAt!: string;
  @ApiProperty({ nullable: true, type: String }) closedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ type: AuditResultCounts }) results!: AuditResultCounts;
}

export class CallbackAuditView extends CallbackAuditSummaryView {
  @ApiProperty({ type: [SampledCardView], description: 'In rank order' }) sample!: SampledCardView[];
}

export class PopulationCheckView {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty() hash!: string;
  @ApiProperty({ description: "The month's accepted cards are still those the sample was drawn from" })
  unchanged!: boolean;
}

export class RedrawView {
  @ApiProperty() auditId!: string;
  @ApiProperty() seed!: string;
  @ApiRate({ example: '10.0000' }) percent!: string;
  @ApiProperty({ type: 'integer' }) populationCount!: number;
  @ApiProperty() populationHash!: string;
  @ApiProperty({ enum: AUDIT_WEIGHTINGS, example: 'RISK' }) weighting!: AuditWeighting;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "RISK audits: SHA-256 of the stored score snapshot ('serial score' lines in population order); null for UNIFORM",
  })
  riskHash!: string | null;
  @ApiProperty({
    description:
      'The stored population snapshot (and, for RISK, its scores) still hashes to the stored hashes and count',
  })
  populationIntact!: boolean;
  @ApiProperty({ type: [String] }) storedSample!: string[];
  @ApiProperty({ type: [String] }) redrawnSample!: string[];
  @ApiProperty({
    description: 'Redrawing from the stored seed over the stored population gives the stored sample, in order',
  })
  matches!: boolean;
  @ApiProperty({ type: PopulationCheckView }) currentPopulation!: PopulationCheckView;
}

export class AuditResultView {
  @ApiProperty() auditId!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty() reportMonth!: string;
  @ApiProperty() serial!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ enum: AUDIT_RESULTS }) result!: AuditResult;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ enum: AUDIT_RESULTS, nullable: true, description: 'The result before this recording' })
  previousResult!: AuditResult | null;
  @ApiProperty({ description: 'False when the same result and note were already recorded (nothing published)' })
  changed!: boolean;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ description: 'Date of the finding, Asia/Shanghai' }) recordedOn!: string;
}
