import { EntityManager } from 'typeorm';
import { addQuarters } from '@app/kernel';
import type { StatementInputRequest } from '../projections/facts.repository';

/**
 * For a provisional (tally) computation: each dealer's opening (the previous quarter's frozen
 * statement's next opening, R-SET-4) and its approved quarters with their approval times (R-SET-7),
 * read from the statements the quarterly runs keep.
 */
export async function tallyRequests(
  em: EntityManager,
  dealerCodes: string[],
  quarter: string,
): Promise<StatementInputRequest[]> {
  if (dealerCodes.length === 0) return [];
  const rows: Array<{ dealer_code: string; quarter: string; approved_at: Date; outcome: { nextOpening?: string } }> =
    await em.query(
      `SELECT dealer_code, trim(quarter) AS quarter, approved_at, outcome FROM statements
     WHERE dealer_code = ANY($1) AND status IN ('APPROVED', 'POSTED') AND approved_at IS NOT NULL AND quarter < $2`,
      [dealerCodes, quarter],
    );
  const previous = addQuarters(quarter, -1);
  const approved = new Map<string, Map<string, Date>>(dealerCodes.map((c) => [c, new Map()]));
  const opening = new Map<string, string>();
  for (const r of rows) {
    approved.get(r.dealer_code)!.set(r.quarter, r.approved_at);
    if (r.quarter === previous) opening.set(r.dealer_code, r.outcome?.nextOpening ?? '0.00');
  }
  return dealerCodes.map((dealerCode) => ({
    dealerCode,
    openingBalance: opening.get(dealerCode) ?? '0.00',
    approvedQuarters: approved.get(dealerCode)!,
  }));
}
