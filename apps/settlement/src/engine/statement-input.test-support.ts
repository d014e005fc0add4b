import type { StatementInput } from './statement-input';
import type { StatementLine } from './statement-line';

/** Input and line builders shared by the settlement unit specs (their assertions stay in the specs). */

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
    complaints: [],
    violations: [],
    breaches: [],
    requisitionLines: [],
    urgentFreight: [],
    oldPartsInvoiced: [],
    returnCharges: [],
    lateFacts: [],
    disputeResolutions: [],
    year: null,
    ...over,
  };
}

/** An R-SET-3 accrual line of January 2026 (100 cards × 15.00), but for what `over` says. */
export const accrualLine = (over: Partial<StatementLine>): StatementLine => ({
  ruleId: 'R-SET-3',
  kind: 'ALLOWANCE_ACCRUAL',
  period: '2026-01',
  description: 'accrual',
  quantity: 100,
  rate: '15.00',
  base: null,
  percent: null,
  amount: '1500.00',
  affectsBalance: true,
  sources: { cards: 100 },
  ...over,
});
