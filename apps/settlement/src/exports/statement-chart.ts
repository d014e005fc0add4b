import { dec, formatMoney, monthsOfQuarter, sumMoney } from '@app/kernel';
import type { CanonicalLine } from '../statements/statement-rules';

export interface MonthBars {
  month: string;
  /** Σ allowance accrual lines of the month (after cancellations). */
  accrual: string;
  /** Σ of the month's balance-reducing lines, as a positive amount. */
  deductions: string;
}

const ACCRUAL_KINDS = new Set(['ALLOWANCE_ACCRUAL', 'ACCRUAL_CANCELLED']);

/** Accrual against deductions per month of the quarter, for the PDF's bar chart (lines of quarter period count in the last month). */
export function monthBars(quarter: string, lines: readonly CanonicalLine[]): MonthBars[] {
  const months = monthsOfQuarter(quarter);
  const monthOf = (period: string) =>
    months.includes(period) ? period : months.includes(period.slice(0, 7)) ? period.slice(0, 7) : months[2];
  return months.map((month) => {
    const mine = lines.filter((l) => l.affectsBalance && monthOf(l.period) === month);
    const accrual = sumMoney(mine.filter((l) => ACCRUAL_KINDS.has(l.kind)).map((l) => l.amount));
    const deductions = sumMoney(
      mine.filter((l) => !ACCRUAL_KINDS.has(l.kind) && dec(l.amount).isNegative()).map((l) => l.amount),
    ).abs();
    return { month, accrual: formatMoney(accrual), deductions: formatMoney(deductions) };
  });
}
