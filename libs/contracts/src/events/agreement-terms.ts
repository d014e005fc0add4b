import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IDENTIFIER_TEXT, MODEL_CODE_REGEX } from './common';

/** Shared enumerations of the agreement terms (DOMAIN §2). */
export const ALLOWANCE_BASES = ['PER_CARD', 'COLLECTIONS_PERCENT', 'PURCHASES_PERCENT'] as const;
export type AllowanceBasis = (typeof ALLOWANCE_BASES)[number];
export const SETTLEMENT_MODES = ['FUND_CARRY_OVER', 'PAYOUT'] as const;
export type SettlementMode = (typeof SETTLEMENT_MODES)[number];
export const PARTS_CHARGING = ['ALLOWANCE', 'FREE', 'INVOICE'] as const;
export type PartsCharging = (typeof PARTS_CHARGING)[number];
export const FAKE_CARD_POLICIES = ['PENALTY_MULTIPLE', 'CANCEL_QUARTER'] as const;
export type FakeCardPolicy = (typeof FAKE_CARD_POLICIES)[number];

/** A money input of one fact: at most two places, at most 9,999,999,999.99 (DOMAIN §9). */
export const MONEY_REGEX = /^\d{1,10}(\.\d{1,2})?$/;
export const RATE_REGEX = /^\d{1,5}(\.\d{1,4})?$/;

export class ModelRateTerm {
  @IsString() @Matches(MODEL_CODE_REGEX, { message: `model must be ${IDENTIFIER_TEXT.modelCode}` }) model!: string;
  @Matches(MONEY_REGEX, { message: 'rate must be a decimal string with at most 2 places' }) rate!: string;
}

export class PartsChargingTerms {
  @IsIn(PARTS_CHARGING) warranty!: PartsCharging;
  @IsIn(PARTS_CHARGING) stock!: PartsCharging;
}

/**
 * Every term of an agreement version, complete (defaults already applied).
 * Money as decimal strings with two places, rates and percents with up to four.
 */
export class AgreementTerms {
  @IsIn(ALLOWANCE_BASES) allowanceBasis!: AllowanceBasis;
  @IsOptional() @Matches(MONEY_REGEX) unitRate!: string | null;
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ModelRateTerm)
  modelRates!: ModelRateTerm[];
  @IsOptional() @Matches(RATE_REGEX) percent!: string | null;
  @IsIn(SETTLEMENT_MODES) settlementMode!: SettlementMode;
  @IsObject() @ValidateNested() @Type(() => PartsChargingTerms) partsCharging!: PartsChargingTerms;
  @IsInt() @Min(1) @Max(365) oldPartReturnDays!: number;
  @IsInt() @Min(1) @Max(28) reportDueDay!: number;
  @IsInt() @Min(1) @Max(120) warrantyMonths!: number;
  @IsInt() @Min(0) @Max(365) doaDays!: number;
  @IsInt() @Min(0) @Max(365) qualityDays!: number;
  @Matches(MONEY_REGEX) complaintPenalty!: string;
  @Matches(MONEY_REGEX) violationPenalty!: string;
  @IsIn(FAKE_CARD_POLICIES) fakeCardPolicy!: FakeCardPolicy;
  @IsInt() @Min(1) @Max(1000) fakeCardMultiple!: number;
  @IsInt() @Min(1) @Max(12) missedReportStreak!: number;
  @Matches(RATE_REGEX) missedReportPenaltyPercent!: string;
  @Matches(RATE_REGEX) excellenceAwardPercent!: string;
  @IsInt() @Min(0) @Max(60) disputeMonths!: number;
}

/** The seed defaults of DOMAIN §2: every term but the allowance basis and rates and the settlement mode. */
export const DEFAULT_AGREEMENT_TERMS: Omit<
  AgreementTerms,
  'allowanceBasis' | 'settlementMode' | 'unitRate' | 'modelRates' | 'percent'
> = {
  partsCharging: { warranty: 'ALLOWANCE', stock: 'ALLOWANCE' },
  oldPartReturnDays: 30,
  reportDueDay: 3,
  warrantyMonths: 12,
  doaDays: 7,
  qualityDays: 15,
  complaintPenalty: '1000.00',
  violationPenalty: '5000.00',
  fakeCardPolicy: 'PENALTY_MULTIPLE',
  fakeCardMultiple: 10,
  missedReportStreak: 3,
  missedReportPenaltyPercent: '10.0000',
  excellenceAwardPercent: '50.0000',
  disputeMonths: 3,
};
