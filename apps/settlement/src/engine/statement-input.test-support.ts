import type { StatementInput } from './statement-input';

/** Input builders shared by the engine unit specs (their assertions stay in the specs). */

/** D001's quarter over the given months, with no facts but those in `over`. */
export function emptyQuarterInput(
  quarter: string,
  months: StatementInput['months'],
  over: Partial<StatementInput> = {},
): StatementInput {
  return {
    dealerCode: 'D001',
    quarter,
    openingBalance: '0.00',
    settlementMode: 'FUND_CARRY_OVER',
    months,
    cardCounts: [],
    excludedCards: [],
    collections: [],
    purchases: [],
    requisitionLines: [],
    urgentFreight: [],
    oldPartsInvoiced: [],
    returnCharges: [],
    complaints: [],
    violations: [],
    breaches: [],
    lateFacts: [],
    disputeResolutions: [],
    year: null,
    ...over,
  };
}
