import { dec, sumMoney } from '@app/kernel';
import type { MonthInput, StatementInput } from '../statement-input';
import { rAwd1ExcellenceAward } from './awards';
import { Keyed } from './keyed-line';
import { rRep4MissedReports } from './penalties';

/**
 * Q4: the missed-report streak (R-REP-4) and the excellence award (R-AWD-1), both on the year's
 * allowance (DOMAIN §9): the prior quarters' accrual net of every cancellation and adjustment known
 * now (YearContext) plus this quarter's accrual after cancellations.
 */
export function rRep4rAwd1YearEnd(input: StatementInput, months: MonthInput[], accrual: Keyed[]): Keyed[] {
  const year = input.year;
  const terms = [...months].reverse().find((m) => m.terms)?.terms;
  if (!year || !terms) return [];
  const thisQuarter = sumMoney(
    accrual
      .map((k) => k.line)
      .filter((l) => l.kind === 'ALLOWANCE_ACCRUAL' || l.kind === 'ACCRUAL_CANCELLED')
      .map((l) => l.amount),
  );
  const yearAllowance = dec(year.priorQuartersAllowance).plus(thisQuarter);
  const period = input.quarter.slice(0, 4);
  // DOMAIN §9: a PENDING month (report due time not passed) is not missed yet.
  const pending = new Set(months.filter((m) => m.pending).map((m) => m.month));
  const notMissed = year.monthsOfYear.map((m) => (pending.has(m.month) ? { ...m, submitted: true } : m));
  return [
    ...rRep4MissedReports({ ...year, monthsOfYear: notMissed }, terms, yearAllowance, period),
    ...rAwd1ExcellenceAward(year, terms, yearAllowance, period),
  ];
}
