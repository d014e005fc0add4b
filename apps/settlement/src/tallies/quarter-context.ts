import { addQuarters } from '@app/kernel';
import type { StatementInputRequest } from '../projections/facts.repository';

/** A frozen statement as a tally needs it: its quarter, approval time and outcome. */
export interface FrozenStatement {
  dealer_code: string;
  quarter: string;
  approved_at: Date;
  outcome: { nextOpening?: string };
}

/**
 * For a provisional (tally) computation: each dealer's opening (the previous quarter's frozen
 * statement's next opening, R-SET-4) and its approved quarters with their approval times (R-SET-7),
 * from the frozen statements before the quarter.
 */
export function tallyRequests(
  frozen: readonly FrozenStatement[],
  dealerCodes: string[],
  quarter: string,
): StatementInputRequest[] {
  const previous = addQuarters(quarter, -1);
  const approved = new Map<string, Map<string, Date>>(dealerCodes.map((c) => [c, new Map()]));
  const opening = new Map<string, string>();
  for (const r of frozen) {
    approved.get(r.dealer_code)!.set(r.quarter, r.approved_at);
    if (r.quarter === previous) opening.set(r.dealer_code, r.outcome?.nextOpening ?? '0.00');
  }
  return dealerCodes.map((dealerCode) => ({
    dealerCode,
    openingBalance: opening.get(dealerCode) ?? '0.00',
    approvedQuarters: approved.get(dealerCode)!,
  }));
}
