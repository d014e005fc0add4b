import { Type } from 'class-transformer';
import { IsArray, IsIn, IsObject, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { firstVersionOn } from '../event-definition';
import { Topics } from '../topics';
import { AMOUNT_REGEX, DATE_REGEX, DEALER_CODE_REGEX } from './common';

const returnsEvent = firstVersionOn(Topics.returns);

export const RETURN_CLASSES = ['DOA', 'QUALITY', 'BATCH_DEFECT', 'IN_WARRANTY', 'OUT_OF_WARRANTY'] as const;
export type ReturnClass = (typeof RETURN_CLASSES)[number];
export const RETURN_CHARGE_KINDS = ['INBOUND_FREIGHT', 'OUTBOUND_FREIGHT', 'REFURBISHMENT_PARTS'] as const;
export type ReturnChargeKind = (typeof RETURN_CHARGE_KINDS)[number];
export const RETURN_CHARGE_PAYERS = ['MANUFACTURER', 'DEALER_ALLOWANCE'] as const;
export type ReturnChargePayer = (typeof RETURN_CHARGE_PAYERS)[number];

/** One assessed charge of a closed return (R-RET-4), with who pays it per its class (R-RET-2). */
export class ReturnCharge {
  @IsString() @MaxLength(16) ruleId!: string;
  @IsIn(RETURN_CHARGE_KINDS) kind!: ReturnChargeKind;
  @IsIn(RETURN_CHARGE_PAYERS) payer!: ReturnChargePayer;
  @Matches(AMOUNT_REGEX) amount!: string;
  @IsString() @MaxLength(500) detail!: string;
}

export class ReturnClosedPayload {
  @Matches(DEALER_CODE_REGEX) dealerCode!: string;
  @IsUUID() returnId!: string;
  @Matches(DATE_REGEX) closedOn!: string;
  @IsIn(RETURN_CLASSES) returnClass!: ReturnClass;
  @IsArray()
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReturnCharge)
  charges!: ReturnCharge[];
}
export const ReturnClosed = returnsEvent('ReturnClosed', ReturnClosedPayload);

export const returnsEvents = [ReturnClosed];
