import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { firstVersionOn } from '../event-definition';
import { Topics } from '../topics';
import { PARTS_CHARGING, PartsCharging } from './agreement-terms';
import { AMOUNT_REGEX, DATE_REGEX, DEALER_CODE_REGEX, MAX_COUNT, PART_NO_REGEX } from './common';

const requisitionsEvent = firstVersionOn(Topics.requisitions);

export const REQUISITION_PURPOSES = ['WARRANTY', 'STOCK'] as const;
export type RequisitionPurpose = (typeof REQUISITION_PURPOSES)[number];

/** One approved line, valued at the prices in force on the approval date (R-PRT-1) and its charge target (R-PRT-2). */
export class ApprovedRequisitionLine {
  @IsString() @MaxLength(64) lineId!: string;
  @Matches(PART_NO_REGEX) partNo!: string;
  @IsString() @MaxLength(200) partName!: string;
  @IsInt() @Min(1) @Max(MAX_COUNT) quantity!: number;
  @IsIn(REQUISITION_PURPOSES) purpose!: RequisitionPurpose;
  @Matches(AMOUNT_REGEX) listPrice!: string;
  @Matches(AMOUNT_REGEX) costPrice!: string;
  /** quantity × listPrice, rounded once. */
  @Matches(AMOUNT_REGEX) amount!: string;
  @IsIn(PARTS_CHARGING) chargeTo!: PartsCharging;
}

export class RequisitionApprovedPayload {
  @Matches(DEALER_CODE_REGEX) dealerCode!: string;
  @IsUUID() requisitionId!: string;
  @Matches(DATE_REGEX) approvedOn!: string;
  @IsBoolean() urgent!: boolean;
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ApprovedRequisitionLine)
  lines!: ApprovedRequisitionLine[];
  /** R-PRT-3: always invoiced to the dealer; null when not urgent. */
  @IsOptional() @Matches(AMOUNT_REGEX) urgentFreightDifference!: string | null;
}
export const RequisitionApproved = requisitionsEvent('RequisitionApproved', RequisitionApprovedPayload);

export class RequisitionShippedPayload {
  @Matches(DEALER_CODE_REGEX) dealerCode!: string;
  @IsUUID() requisitionId!: string;
  @Matches(DATE_REGEX) shippedOn!: string;
  /** R-PRT-4: old parts of WARRANTY lines are owed back by this date; null when none are owed. */
  @IsOptional() @Matches(DATE_REGEX) oldPartsDueOn!: string | null;
}
export const RequisitionShipped = requisitionsEvent('RequisitionShipped', RequisitionShippedPayload);

/** R-PRT-4: old parts still owed after the deadline, invoiced to the dealer at cost, exactly once per line. */
export class OldPartsInvoicedPayload {
  @Matches(DEALER_CODE_REGEX) dealerCode!: string;
  @IsUUID() requisitionId!: string;
  @IsString() @MaxLength(64) lineId!: string;
  @Matches(PART_NO_REGEX) partNo!: string;
  @IsInt() @Min(1) @Max(MAX_COUNT) quantity!: number;
  @Matches(AMOUNT_REGEX) costPrice!: string;
  @Matches(AMOUNT_REGEX) amount!: string;
  @Matches(DATE_REGEX) invoicedOn!: string;
}
export const OldPartsInvoiced = requisitionsEvent('OldPartsInvoiced', OldPartsInvoicedPayload);

/**
 * R-PRT-1: one version of a part's prices, as the price list stored it (PUT /v1/parts/{partNo} or an import).
 * A version is keyed by part and effectiveFrom and never rewritten, so a consumer keeps every version and
 * finds the price in force on a date itself (R-RET-4: returns values refurbishment parts with it).
 * The event concerns no dealer: its envelope's key (`dealerCode`) is the part number, so the versions of
 * one part stay in order on one partition.
 */
export class PartPriceSetPayload {
  @Matches(PART_NO_REGEX) partNo!: string;
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @Matches(AMOUNT_REGEX) listPrice!: string;
  @Matches(AMOUNT_REGEX) costPrice!: string;
  /** First day the prices apply. */
  @Matches(DATE_REGEX) effectiveFrom!: string;
}
export const PartPriceSet = requisitionsEvent('PartPriceSet', PartPriceSetPayload);

export const requisitionsEvents = [RequisitionApproved, RequisitionShipped, OldPartsInvoiced, PartPriceSet];
