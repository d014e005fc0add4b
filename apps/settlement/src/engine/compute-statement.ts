import { dec, formatMoney } from '@app/kernel';
import { rSet3MonthAccrual } from './rules/accrual';
import { rSet7PriorPeriodAdjustments } from './rules/adjustments';
import { rSet5rSet6Cancellation } from './rules/cancellation';
import { rDsp2DisputeResolutions } from './rules/disputes';
import { rAud3FakeCards } from './rules/fake-cards';
import { cmp } from './rules/keyed-line';
import { rPrtParts } from './rules/parts';
import { rSet2Penalties } from './rules/penalties';
import { rRet4Returns } from './rules/returns';
import { rRep4rAwd1YearEnd } from './rules/year-end';
import type { StatementInput, StatementResult } from './statement-input';
import { orderLines, outcomeOf, totalsOf } from './statement-totals';

export { outcomeOf } from './statement-totals';

/**
 * The settlement engine (DOMAIN §7): a pure function from terms per month, facts and the
 * opening balance to explained statement lines, totals, closing and outcome.
 * No I/O, no clock; the same input (in any order of facts) gives byte-identical output.
 * Each rule family is a function of `rules/`, named after its rule ids.
 */
export function computeStatement(input: StatementInput): StatementResult {
  const months = [...input.months].sort((a, b) => cmp(a.month, b.month));
  const accrual = months.flatMap((m) => rSet3MonthAccrual(input, m));
  const fakeCards = rAud3FakeCards(input.excludedCards, months);
  const cancellation = rSet5rSet6Cancellation(input, fakeCards.cancelCauses, accrual);
  const ordered = orderLines([
    ...accrual,
    ...fakeCards.lines,
    ...cancellation,
    ...rPrtParts(input),
    ...rRet4Returns(input),
    ...rSet2Penalties(input),
    ...rRep4rAwd1YearEnd(input, months, [...accrual, ...cancellation]),
    ...rSet7PriorPeriodAdjustments(input.lateFacts),
    ...rDsp2DisputeResolutions(input),
  ]);
  const totals = totalsOf(ordered);
  const closing = formatMoney(dec(input.openingBalance).plus(totals.net));
  return {
    dealerCode: input.dealerCode,
    quarter: input.quarter,
    settlementMode: input.settlementMode,
    openingBalance: formatMoney(input.openingBalance),
    lines: ordered,
    totals,
    closing,
    outcome: outcomeOf(input.settlementMode, closing),
    pendingMonths: months.filter((m) => m.pending).map((m) => m.month),
  };
}
