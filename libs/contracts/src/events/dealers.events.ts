import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { firstVersionOn } from '../event-definition';
import { Topics } from '../topics';
import { AgreementTerms } from './agreement-terms';

import {
  AMOUNT_REGEX,
  DATE_REGEX as DATE,
  DEALER_CODE_REGEX as DEALER_CODE,
  FIRST_OF_MONTH_REGEX,
  MAX_COUNT,
  MAX_REPORT_LINES,
  MODEL_CODE_REGEX as MODEL,
  MONTH_REGEX as MONTH,
  REFERENCE_REGEX as REFERENCE,
  SERIAL_REGEX as SERIAL,
} from './common';

const dealersEvent = firstVersionOn(Topics.dealers);
/** The registry: every other service keeps its copy of dealers and agreements from these alone. */
const registryEvent = firstVersionOn(Topics.dealerRegistry);

export const DEALER_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;
export type DealerStatus = (typeof DEALER_STATUSES)[number];

export class DealerRegisteredPayload {
  @Matches(DEALER_CODE) code!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(100) region!: string | null;
  @IsIn(DEALER_STATUSES) status!: DealerStatus;
}
export const DealerRegistered = registryEvent('DealerRegistered', DealerRegisteredPayload);

export class AgreementVersionSetPayload {
  @Matches(DEALER_CODE) dealerCode!: string;
  @IsInt() @Min(1) @Max(MAX_COUNT) version!: number;
  /** First day of a month, YYYY-MM-01 (R-AGR-1). */
  @Matches(FIRST_OF_MONTH_REGEX) effectiveFrom!: string;
  @IsObject() @ValidateNested() @Type(() => AgreementTerms) terms!: AgreementTerms;
}
export const AgreementVersionSet = registryEvent('AgreementVersionSet', AgreementVersionSetPayload);

export class AcceptedCard {
  @Matches(SERIAL) serial!: string;
  @Matches(MODEL) model!: string;
  @Matches(DATE) saleDate!: string;
  @Matches(DEALER_CODE) outlet!: string;
  @IsArray() @IsString({ each: true }) flags!: string[];
}

/** One event per accepted batch: the local broker keeps few messages per partition. */
export class WarrantyCardsAcceptedPayload {
  @Matches(DEALER_CODE) dealerCode!: string;
  @Matches(MONTH) reportMonth!: string;
  @IsUUID() batchId!: string;
  @IsArray() @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => AcceptedCard) cards!: AcceptedCard[];
}
export const WarrantyCardsAccepted = dealersEvent('WarrantyCardsAccepted', WarrantyCardsAcceptedPayload);

export class WarrantyCardWithdrawnPayload {
  @Matches(DEALER_CODE) dealerCode!: string;
  @Matches(MONTH) reportMonth!: string;
  @Matches(SERIAL) serial!: string;
  @IsUUID() batchId!: string;
}
/** A dealer withdrew its own accepted card before the month closed; the serial is free again. */
export const WarrantyCardWithdrawn = dealersEvent('WarrantyCardWithdrawn', WarrantyCardWithdrawnPayload);

export const REPORT_PARTS = ['SALES', 'REPAIRS', 'SATISFACTION', 'OPINIONS', 'QUALITY_FEEDBACK', 'CALLBACKS'] as const;
export type ReportPart = (typeof REPORT_PARTS)[number];

/**
 * Sent on every submission of any part of a monthly report, carrying the figures of the
 * latest versions (R-REP-1), so settlement knows timeliness (R-REP-4, R-AWD-1), units sold
 * and satisfaction (R-AWD-1) without asking.
 */
export class MonthlyReportSubmittedPayload {
  @Matches(DEALER_CODE) dealerCode!: string;
  @Matches(MONTH) month!: string;
  @IsIn(REPORT_PARTS) part!: ReportPart;
  @IsInt() @Min(1) @Max(MAX_COUNT) partVersion!: number;
  /** When the sales statistics were first submitted (the report counts as submitted from then); null if not yet. */
  @IsOptional() @IsISO8601() firstSubmittedAt!: string | null;
  @IsISO8601() dueAt!: string;
  /** First submitted by the due time. */
  @IsBoolean() onTime!: boolean;
  /** The sum of the sales lines' units. */
  @IsInt() @Min(0) @Max(MAX_COUNT * MAX_REPORT_LINES) unitsSold!: number;
  @IsInt() @Min(0) @Max(MAX_COUNT) surveyed!: number;
  @IsInt() @Min(0) @Max(MAX_COUNT) satisfied!: number;
  /** Repair records of the month. */
  @IsInt() @Min(0) @Max(MAX_REPORT_LINES) repairs!: number;
  @IsInt() @Min(0) @Max(MAX_COUNT) callbacks!: number;
  /** R-REP-2: callbacks under 25 % of repairs. */
  @IsBoolean() callbacksBelowMinimum!: boolean;
}
export const MonthlyReportSubmitted = dealersEvent('MonthlyReportSubmitted', MonthlyReportSubmittedPayload);

export const AUDIT_RESULTS = ['VERIFIED', 'FALSIFIED', 'INCOMPLETE'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/** R-AUD-1..3: the result of calling one sampled card's consumer. */
export class CallbackAuditRecordedPayload {
  @Matches(DEALER_CODE) dealerCode!: string;
  @Matches(MONTH) reportMonth!: string;
  @IsUUID() auditId!: string;
  @Matches(SERIAL) serial!: string;
  @Matches(MODEL) model!: string;
  @IsIn(AUDIT_RESULTS) result!: AuditResult;
  /** Date of the finding (Asia/Shanghai). */
  @Matches(DATE) recordedOn!: string;
}
export const CallbackAuditRecorded = dealersEvent('CallbackAuditRecorded', CallbackAuditRecordedPayload);

/** A complaint attributed to the dealer's service (DOMAIN §6), penalised per complaintPenalty. */
export class ComplaintRecordedPayload {
  @Matches(DEALER_CODE) dealerCode!: string;
  @IsUUID() complaintId!: string;
  @Matches(REFERENCE) reference!: string;
  @Matches(DATE) date!: string;
  @Matches(AMOUNT_REGEX) amount!: string;
  @IsString() @MaxLength(2000) description!: string;
}
export const ComplaintRecorded = dealersEvent('ComplaintRecorded', ComplaintRecordedPayload);

/** A violation such as an unlicensed technician (DOMAIN §6), penalised per violationPenalty. */
export class ViolationRecordedPayload {
  @Matches(DEALER_CODE) dealerCode!: string;
  @IsUUID() violationId!: string;
  @Matches(REFERENCE) reference!: string;
  @Matches(DATE) date!: string;
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/) kind!: string;
  @Matches(AMOUNT_REGEX) amount!: string;
  @IsString() @MaxLength(2000) description!: string;
}
export const ViolationRecorded = dealersEvent('ViolationRecorded', ViolationRecordedPayload);

export const dealersEvents = [
  DealerRegistered,
  AgreementVersionSet,
  WarrantyCardsAccepted,
  WarrantyCardWithdrawn,
  MonthlyReportSubmitted,
  CallbackAuditRecorded,
  ComplaintRecorded,
  ViolationRecorded,
];
