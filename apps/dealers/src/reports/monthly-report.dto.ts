import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ArrayOfObjects,
  DATE_REGEX,
  DEALER_CODE_REGEX,
  MAX_COUNT,
  MAX_REPORT_LINES,
  MONEY_REGEX,
  PART_NO_REGEX,
  IDENTIFIER_TEXT,
} from '@app/contracts';
import {
  ApiTotal,
  DealerFilter,
  IsModelCodeInput,
  IsSerialInput,
  MonthFilter,
  PageQuery,
  trimmed,
  upperCased,
} from '@app/platform';
import { REPORT_STATUSES, ReportStatus } from './report-rules';

const money = {
  message: '$property must be a decimal string with at most 2 places and at most 9999999999.99, e.g. "1999.00"',
};
export const MAX_LINES_PER_PART = MAX_REPORT_LINES;
/** A part of a whole-report submission: left out, or an object (null and arrays are refused). */
const Part = () => ValidateIf((_o: object, value: unknown) => value !== undefined);

export class SalesLineDto {
  @ApiProperty({ pattern: DEALER_CODE_REGEX.source, example: 'D001', description: 'Dealer or sub-distributor code' })
  @Transform(upperCased)
  @IsString()
  @Matches(DEALER_CODE_REGEX, { message: 'outlet must be a dealer or sub-distributor code' })
  outlet!: string;
  @ApiProperty({ example: 'EB-100' })
  @IsModelCodeInput()
  model!: string;
  @ApiProperty({ type: 'integer', example: 12, maximum: MAX_COUNT }) @IsInt() @Min(0) @Max(MAX_COUNT) units!: number;
  @ApiProperty({ pattern: MONEY_REGEX.source, example: '23988.00' }) @Matches(MONEY_REGEX, money) amount!: string;
}

export class SalesPartDto {
  @ApiProperty({
    type: [SalesLineDto],
    description: 'Zero lines allowed: the report then counts as submitted with no sales',
  })
  @ArrayOfObjects(() => SalesLineDto, { max: MAX_LINES_PER_PART })
  lines!: SalesLineDto[];
}

export class ReplacedPartDto {
  @ApiProperty({ pattern: PART_NO_REGEX.source, example: 'P-1001' })
  @Transform(upperCased)
  @IsString()
  @Matches(PART_NO_REGEX, { message: `partNo must be ${IDENTIFIER_TEXT.partNo}` })
  partNo!: string;
  @ApiProperty({ type: 'integer', example: 1, maximum: MAX_COUNT }) @IsInt() @Min(1) @Max(MAX_COUNT) quantity!: number;
}

export class RepairRecordDto {
  @ApiProperty({ example: 'R-2026-0001' }) @Transform(trimmed) @IsString() @MinLength(1) @MaxLength(64) ticket!: string;
  @ApiProperty({ example: 'EB100-2026-000001' })
  @IsSerialInput()
  serial!: string;
  @ApiProperty({ example: 'EB-100' })
  @IsModelCodeInput()
  model!: string;
  @ApiProperty({ example: '不开机 / does not power on' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  fault!: string;
  @ApiProperty({ pattern: DATE_REGEX.source, example: '2026-01-15', description: 'Within the report month' })
  @Matches(DATE_REGEX, { message: 'repairDate must be a calendar date YYYY-MM-DD' })
  repairDate!: string;
  @ApiProperty() @IsBoolean() inWarranty!: boolean;
  @ApiProperty({ type: [ReplacedPartDto], description: 'Parts replaced (每月零件更换清单)' })
  @ArrayOfObjects(() => ReplacedPartDto, { max: 100 })
  parts!: ReplacedPartDto[];
  @ApiProperty({ description: 'The consumer signed the repair record' }) @IsBoolean() consumerSigned!: boolean;
}

export class RepairsPartDto {
  @ApiProperty({ type: [RepairRecordDto] })
  @ArrayOfObjects(() => RepairRecordDto, { max: MAX_LINES_PER_PART })
  records!: RepairRecordDto[];
}

export class SatisfactionPartDto {
  @ApiProperty({ type: 'integer', example: 50, maximum: MAX_COUNT }) @IsInt() @Min(0) @Max(MAX_COUNT) surveyed!: number;
  @ApiProperty({ type: 'integer', example: 48, maximum: MAX_COUNT, description: 'At most surveyed' })
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  satisfied!: number;
}

export class OpinionLineDto {
  @ApiProperty({ example: '服务态度', description: 'Kind of opinion or complaint, once per part' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  kind!: string;
  @ApiProperty({ type: 'integer', example: 2, maximum: MAX_COUNT }) @IsInt() @Min(0) @Max(MAX_COUNT) count!: number;
}

export class OpinionsPartDto {
  @ApiProperty({ type: [OpinionLineDto] })
  @ArrayOfObjects(() => OpinionLineDto, { max: 1000 })
  lines!: OpinionLineDto[];
}

export class QualityFeedbackLineDto {
  @ApiProperty({ example: 'EB-100' })
  @IsModelCodeInput()
  model!: string;
  @ApiProperty({ example: 'B2601' }) @Transform(trimmed) @IsString() @MinLength(1) @MaxLength(64) batch!: string;
  @ApiProperty({ example: '电源板烧毁' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  problem!: string;
  @ApiProperty({ type: 'integer', example: 3, maximum: MAX_COUNT })
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  unitsAffected!: number;
}

export class QualityFeedbackPartDto {
  @ApiProperty({ type: [QualityFeedbackLineDto] })
  @ArrayOfObjects(() => QualityFeedbackLineDto, { max: MAX_LINES_PER_PART })
  lines!: QualityFeedbackLineDto[];
}

export class CallbacksPartDto {
  @ApiProperty({
    type: 'integer',
    example: 5,
    description: "R-REP-2: at least 25 % of the month's repairs, else the report is flagged",
  })
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  callbacksMade!: number;
}

/** Any of the parts; each part present becomes a new version of that part (R-REP-1). */
export class SubmitMonthlyReportDto {
  @ApiPropertyOptional({ type: SalesPartDto })
  @Part()
  @IsObject()
  @ValidateNested()
  @Type(() => SalesPartDto)
  sales?: SalesPartDto;
  @ApiPropertyOptional({ type: RepairsPartDto })
  @Part()
  @IsObject()
  @ValidateNested()
  @Type(() => RepairsPartDto)
  repairs?: RepairsPartDto;
  @ApiPropertyOptional({ type: SatisfactionPartDto })
  @Part()
  @IsObject()
  @ValidateNested()
  @Type(() => SatisfactionPartDto)
  satisfaction?: SatisfactionPartDto;
  @ApiPropertyOptional({ type: OpinionsPartDto })
  @Part()
  @IsObject()
  @ValidateNested()
  @Type(() => OpinionsPartDto)
  opinions?: OpinionsPartDto;
  @ApiPropertyOptional({ type: QualityFeedbackPartDto })
  @Part()
  @IsObject()
  @ValidateNested()
  @Type(() => QualityFeedbackPartDto)
  qualityFeedback?: QualityFeedbackPartDto;
  @ApiPropertyOptional({ type: CallbacksPartDto })
  @Part()
  @IsObject()
  @ValidateNested()
  @Type(() => CallbacksPartDto)
  callbacks?: CallbacksPartDto;
}

export class ReportListQuery extends PageQuery {
  @DealerFilter({ description: 'Dealer code (a dealer always gets its own)' })
  dealer?: string;
  @MonthFilter({ example: '2026-01', description: 'With a month, every dealer is listed, NOT_SUBMITTED ones too' })
  month?: string;
  @ApiPropertyOptional({ enum: REPORT_STATUSES, description: 'Only reports in this status' })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;
}

export class PartVersionView {
  @ApiProperty({ example: 'sales' }) part!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ enum: ['API', 'UPLOAD'] }) source!: 'API' | 'UPLOAD';
  @ApiProperty() submittedBy!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ description: 'The part as submitted (normalised)' }) content!: Record<string, unknown>;
}

export class ReportFiguresView {
  @ApiProperty({ type: 'integer' }) unitsSold!: number;
  @ApiTotal({ example: '23988.00' }) salesAmount!: string;
  @ApiProperty({ type: 'integer' }) repairs!: number;
  @ApiProperty({ type: 'integer' }) callbacks!: number;
  @ApiProperty({ type: 'integer' }) surveyed!: number;
  @ApiProperty({ type: 'integer' }) satisfied!: number;
}

export class ReportPartsView {
  @ApiPropertyOptional({ type: PartVersionView, nullable: true }) sales!: PartVersionView | null;
  @ApiPropertyOptional({ type: PartVersionView, nullable: true }) repairs!: PartVersionView | null;
  @ApiPropertyOptional({ type: PartVersionView, nullable: true }) satisfaction!: PartVersionView | null;
  @ApiPropertyOptional({ type: PartVersionView, nullable: true }) opinions!: PartVersionView | null;
  @ApiPropertyOptional({ type: PartVersionView, nullable: true }) qualityFeedback!: PartVersionView | null;
  @ApiPropertyOptional({ type: PartVersionView, nullable: true }) callbacks!: PartVersionView | null;
}

export class MonthlyReportView {
  @ApiProperty() dealerCode!: string;
  @ApiProperty({ example: '2026-01' }) month!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty({
    description: 'reportDueDay of the next month, 23:59:59 Asia/Shanghai, from the terms in force for the month',
  })
  dueAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the sales statistics first came in' })
  firstSubmittedAt!: string | null;
  @ApiProperty({ type: [String], example: ['CALLBACKS_BELOW_MINIMUM'] }) flags!: string[];
  @ApiProperty({ type: ReportFiguresView }) figures!: ReportFiguresView;
  @ApiPropertyOptional({
    type: ReportPartsView,
    description: 'Latest version of each part (only on the single-report read)',
  })
  parts?: ReportPartsView;
}

export class MonthlyReportPageView {
  @ApiProperty({ type: [MonthlyReportView] }) items!: MonthlyReportView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
