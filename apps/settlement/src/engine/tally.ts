import { formatMoney, monthOfDate, sumMoney } from '@app/kernel';
import { computeStatement } from './compute-statement';
import type { StatementInput, StatementResult } from './statement-input';

/**
 * R-SET-1: the quarter to date at the end of `month` — the input with every fact of a later
 * month of the quarter left out (each fact in the period of its own date, R-SET-10). Each month is
 * treated as the quarterly run would treat it at the same moment (DOMAIN §9): a month past its
 * report due time without a submission is withheld (R-REP-4); a PENDING month accrues provisionally.
 */
export function quarterToDateInput(input: StatementInput, month: string): StatementInput {
  const upTo = (m: string) => m <= month;
  return {
    ...input,
    year: null,
    months: input.months.filter((m) => upTo(m.month)),
    cardCounts: input.cardCounts.filter((c) => upTo(c.month)),
    excludedCards: input.excludedCards.filter((c) => upTo(c.month)),
    collections: input.collections.filter((c) => upTo(monthOfDate(c.valueDate))),
    purchases: input.purchases.filter((p) => upTo(monthOfDate(p.invoiceDate))),
    requisitionLines: input.requisitionLines.filter((r) => upTo(monthOfDate(r.approvedOn))),
    urgentFreight: input.urgentFreight.filter((u) => upTo(monthOfDate(u.approvedOn))),
    oldPartsInvoiced: input.oldPartsInvoiced.filter((o) => upTo(monthOfDate(o.invoicedOn))),
    returnCharges: input.returnCharges.filter((r) => upTo(monthOfDate(r.closedOn))),
    complaints: input.complaints.filter((c) => upTo(monthOfDate(c.date))),
    violations: input.violations.filter((v) => upTo(monthOfDate(v.date))),
  };
}

export interface MonthTally {
  month: string;
  result: StatementResult;
  /** Σ allowance accrual lines of the month. */
  monthAccrual: string;
  /** Σ lines of the month affecting the balance. */
  monthNet: string;
  /** Σ lines of the month invoiced to the dealer. */
  monthInvoiced: string;
  /** opening + Σ quarter-to-date lines. */
  quarterBalance: string;
}

export function tallyMonth(input: StatementInput, month: string): MonthTally {
  const result = computeStatement(quarterToDateInput(input, month));
  const ofMonth = result.lines.filter((l) => l.period === month);
  return {
    month,
    result,
    monthAccrual: formatMoney(sumMoney(ofMonth.filter((l) => l.kind === 'ALLOWANCE_ACCRUAL').map((l) => l.amount))),
    monthNet: formatMoney(sumMoney(ofMonth.filter((l) => l.affectsBalance !== false).map((l) => l.amount))),
    monthInvoiced: formatMoney(sumMoney(ofMonth.filter((l) => l.affectsBalance === false).map((l) => l.amount))),
    quarterBalance: result.closing,
  };
}
