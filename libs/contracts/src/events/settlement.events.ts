import { IsArray, IsISO8601, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { firstVersionOn } from '../event-definition';
import { Topics } from '../topics';
import { DEALER_CODE_REGEX, MONTH_REGEX, QUARTER_REGEX, SIGNED_TOTAL_REGEX, TOTAL_REGEX } from './common';

const settlementEvent = firstVersionOn(Topics.settlement);

/** R-SET-1: the dealer's provisional quarter-to-date balance after a tally; requisitions shows it before approval. */
export class DealerBalanceTalliedPayload {
  @Matches(DEALER_CODE_REGEX) dealerCode!: string;
  @Matches(QUARTER_REGEX) quarter!: string;
  @Matches(SIGNED_TOTAL_REGEX) balance!: string;
  @IsISO8601() asOf!: string;
}
export const DealerBalanceTallied = settlementEvent('DealerBalanceTallied', DealerBalanceTalliedPayload);

/** R-SET-8: the statement is frozen; the dealers service closes these months (no report changes, no withdrawals). */
export class QuarterApprovedPayload {
  @Matches(DEALER_CODE_REGEX) dealerCode!: string;
  @Matches(QUARTER_REGEX) quarter!: string;
  @IsUUID() statementId!: string;
  @IsArray() @Matches(MONTH_REGEX, { each: true }) months!: string[];
  @IsString() @MaxLength(200) approvedBy!: string;
  @IsISO8601() approvedAt!: string;
}
export const QuarterApproved = settlementEvent('QuarterApproved', QuarterApprovedPayload);

/** R-SET-8 / R-SET-4: posted; ledger written; the next quarter's opening set. */
export class StatementPostedPayload {
  @Matches(DEALER_CODE_REGEX) dealerCode!: string;
  @Matches(QUARTER_REGEX) quarter!: string;
  @IsUUID() statementId!: string;
  @Matches(SIGNED_TOTAL_REGEX) closing!: string;
  /** FUND_CARRY_OVER surplus carried to the next quarter. */
  @Matches(TOTAL_REGEX) carriedForward!: string;
  /** Deficit billed to the dealer. */
  @Matches(TOTAL_REGEX) billedToDealer!: string;
  /** PAYOUT surplus payable to the dealer. */
  @Matches(TOTAL_REGEX) payableToDealer!: string;
  @Matches(SIGNED_TOTAL_REGEX) nextOpening!: string;
  @IsISO8601() postedAt!: string;
}
export const StatementPosted = settlementEvent('StatementPosted', StatementPostedPayload);

export const settlementEvents = [DealerBalanceTallied, QuarterApproved, StatementPosted];
