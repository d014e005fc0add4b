import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import {
  ALLOWANCE_BASES,
  AllowanceBasis,
  ArrayOfObjects,
  FAKE_CARD_POLICIES,
  FakeCardPolicy,
  MONEY_REGEX,
  ModelRateTerm,
  PARTS_CHARGING,
  PartsCharging,
  RATE_REGEX,
  SETTLEMENT_MODES,
  SettlementMode,
} from '@app/contracts';
import { upperCased } from '@app/platform';

const money = {
  message: '$property must be a decimal string with at most 2 places and at most 9999999999.99, e.g. "15.00"',
};
const rate = { message: '$property must be a decimal string with at most 4 places, e.g. "1.2500"' };

export class ModelRateDto extends ModelRateTerm {
  @ApiProperty({ example: 'EB-200' }) @Transform(upperCased) declare model: string;
  @ApiProperty({ example: '20.00', pattern: MONEY_REGEX.source }) declare rate: string;
}

export class PartsChargingDto {
  @ApiPropertyOptional({ enum: PARTS_CHARGING, default: 'ALLOWANCE' })
  @IsOptional()
  @IsIn(PARTS_CHARGING)
  warranty?: PartsCharging;
  @ApiPropertyOptional({ enum: PARTS_CHARGING, default: 'ALLOWANCE' })
  @IsOptional()
  @IsIn(PARTS_CHARGING)
  stock?: PartsCharging;
}

/** Terms of DOMAIN §2 (R-AGR-1); anything left out takes the seed default. Shared by agreements and what-if simulations. */
export class AgreementTermsDto {
  @ApiProperty({ enum: ALLOWANCE_BASES }) @IsIn(ALLOWANCE_BASES) allowanceBasis!: AllowanceBasis;
  @ApiProperty({ enum: SETTLEMENT_MODES }) @IsIn(SETTLEMENT_MODES) settlementMode!: SettlementMode;
  @ApiPropertyOptional({ pattern: MONEY_REGEX.source, example: '15.00' })
  @IsOptional()
  @Matches(MONEY_REGEX, money)
  unitRate?: string;
  @ApiPropertyOptional({ type: [ModelRateDto], maxItems: 1000 })
  @IsOptional()
  @ArrayOfObjects(() => ModelRateDto, { max: 1000 })
  modelRates?: ModelRateDto[];
  @ApiPropertyOptional({
    pattern: RATE_REGEX.source,
    example: '1.2500',
    description: 'Percent for the two percent bases',
  })
  @IsOptional()
  @Matches(RATE_REGEX, rate)
  percent?: string;
  @ApiPropertyOptional({ type: PartsChargingDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PartsChargingDto)
  partsCharging?: PartsChargingDto;
  @ApiPropertyOptional({ type: 'integer', default: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  oldPartReturnDays?: number;
  @ApiPropertyOptional({ type: 'integer', default: 3 }) @IsOptional() @IsInt() @Min(1) @Max(28) reportDueDay?: number;
  @ApiPropertyOptional({ type: 'integer', default: 12 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  warrantyMonths?: number;
  @ApiPropertyOptional({ type: 'integer', default: 7 }) @IsOptional() @IsInt() @Min(0) @Max(365) doaDays?: number;
  @ApiPropertyOptional({ type: 'integer', default: 15 }) @IsOptional() @IsInt() @Min(0) @Max(365) qualityDays?: number;
  @ApiPropertyOptional({ pattern: MONEY_REGEX.source, default: '1000.00' })
  @IsOptional()
  @Matches(MONEY_REGEX, money)
  complaintPenalty?: string;
  @ApiPropertyOptional({ pattern: MONEY_REGEX.source, default: '5000.00' })
  @IsOptional()
  @Matches(MONEY_REGEX, money)
  violationPenalty?: string;
  @ApiPropertyOptional({ enum: FAKE_CARD_POLICIES, default: 'PENALTY_MULTIPLE' })
  @IsOptional()
  @IsIn(FAKE_CARD_POLICIES)
  fakeCardPolicy?: FakeCardPolicy;
  @ApiPropertyOptional({ type: 'integer', default: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  fakeCardMultiple?: number;
  @ApiPropertyOptional({ type: 'integer', default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  missedReportStreak?: number;
  @ApiPropertyOptional({ pattern: RATE_REGEX.source, default: '10.0000' })
  @IsOptional()
  @Matches(RATE_REGEX, rate)
  missedReportPenaltyPercent?: string;
  @ApiPropertyOptional({ pattern: RATE_REGEX.source, default: '50.0000' })
  @IsOptional()
  @Matches(RATE_REGEX, rate)
  excellenceAwardPercent?: string;
  @ApiPropertyOptional({ type: 'integer', default: 3 }) @IsOptional() @IsInt() @Min(0) @Max(60) disputeMonths?: number;
}
