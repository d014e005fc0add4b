/**
 * DOMAIN.md's worked example (dealer D001, 2026-Q1 and Q2): the figures that the settlement
 * integration test (events in, statements out) and the end-to-end test (four services through
 * their APIs) must both reach. Written once so that the two tiers cannot drift apart.
 */
export const workedExample = {
  q1: {
    /** ALLOWANCE_ACCRUAL lines as [period, quantity, rate, amount]: the 20 cards of January at the R-AWD rate. */
    accrual: [
      ['2026-01', 100, '15.0000', '1500.00'],
      ['2026-01', 20, '20.0000', '400.00'],
      ['2026-02', 80, '15.0000', '1200.00'],
      ['2026-03', 148, '15.0000', '2220.00'],
    ],
    /** Lines outside the balance that carry money: the urgent freight difference invoiced. */
    invoicedOutsideBalance: [['URGENT_FREIGHT_INVOICED', '35.00']],
    outcome: { carriedForward: '3295.00', billedToDealer: '0.00', payableToDealer: '0.00', nextOpening: '3295.00' },
  },
  /** The worked example's February requisition line: 2 controllers under warranty, valued at list price, free to the dealer. */
  warrantyControllerLine: {
    partNo: 'CT-09',
    quantity: 2,
    purpose: 'WARRANTY',
    listPrice: '180.00',
    costPrice: '120.00',
    amount: '360.00',
    chargeTo: 'FREE',
  },
  q2: {
    outcome: { carriedForward: '0.00', billedToDealer: '412.50', payableToDealer: '0.00', nextOpening: '0.00' },
  },
} as const;

interface StatementLineLike {
  kind: string;
  period: string;
  quantity: number;
  rate: string;
  amount: string;
  affectsBalance: boolean;
}

/** The accrual lines of a statement in the shape `workedExample.q1.accrual` states them. */
export function accrualRows(lines: readonly StatementLineLike[]): unknown[][] {
  return lines.filter((l) => l.kind === 'ALLOWANCE_ACCRUAL').map((l) => [l.period, l.quantity, l.rate, l.amount]);
}

/** The lines that carry money without moving the balance, as [kind, amount]. */
export function invoicedOutsideBalance(lines: readonly StatementLineLike[]): unknown[][] {
  return lines.filter((l) => !l.affectsBalance && l.amount !== '0.00').map((l) => [l.kind, l.amount]);
}
