import type { AgreementTerms } from '@app/contracts';
import { addMonths, Dec, dec, formatMoney, formatRate, monthOfDate } from '@app/kernel';
import type { PenaltyFactInput, StatementInput, YearContext } from '../statement-input';
import type { StatementLine } from '../statement-line';
import { cmp, Keyed, keyed } from './keyed-line';

/** R-SET-2: complaints and violations (DOMAIN §6), each in the month of its date (R-SET-10). */
export function rSet2Penalties(input: StatementInput): Keyed[] {
  return [
    ...input.complaints.map((c) =>
      keyed(`${c.date}|${c.reference}|${c.id}`, rSet2PenaltyLine('COMPLAINT_PENALTY', 'complaint', c)),
    ),
    ...input.violations.map((v) =>
      keyed(`${v.date}|${v.reference}|${v.id}`, rSet2PenaltyLine('VIOLATION_PENALTY', 'violation', v)),
    ),
  ];
}

/** R-SET-2: one complaint or violation at its amount. */
export function rSet2PenaltyLine(
  kind: 'COMPLAINT_PENALTY' | 'VIOLATION_PENALTY',
  what: string,
  f: PenaltyFactInput,
  prefix = '',
): StatementLine {
  return {
    ruleId: 'R-SET-2',
    kind,
    period: monthOfDate(f.date),
    description: `${prefix}${what} ${f.reference}${f.kind ? ` (${f.kind})` : ''} of ${f.date}`,
    quantity: 1,
    rate: formatRate(f.amount),
    base: null,
    percent: null,
    amount: formatMoney(dec(f.amount).negated()),
    affectsBalance: true,
    sources: { [what === 'complaint' ? 'complaintId' : 'violationId']: f.id, reference: f.reference, date: f.date },
  };
}

/** The longest run of consecutive months of the year never submitted. */
function longestMissedRun(year: YearContext): string[] {
  let current: string[] = [];
  let longest: string[] = [];
  for (const m of [...year.monthsOfYear].sort((a, b) => cmp(a.month, b.month))) {
    if (m.submitted) {
      current = [];
      continue;
    }
    const last = current[current.length - 1];
    current = last !== undefined && addMonths(last, 1) === m.month ? [...current, m.month] : [m.month];
    if (current.length > longest.length) longest = current;
  }
  return longest;
}

/** R-REP-4 (Q4): a streak of missedReportStreak consecutive months never submitted costs a percent of the year's allowance. */
export function rRep4MissedReports(
  year: YearContext,
  terms: AgreementTerms,
  yearAllowance: Dec,
  period: string,
): Keyed[] {
  const longestMonths = longestMissedRun(year);
  const longest = longestMonths.length;
  if (longest < terms.missedReportStreak) return [];
  const pct = terms.missedReportPenaltyPercent;
  return [
    keyed('rep4', {
      ruleId: 'R-REP-4',
      kind: 'MISSED_REPORT_PENALTY',
      period,
      description: `${longest} consecutive monthly reports missed (${longestMonths.join(', ')}): ${formatRate(pct)} % of the year's allowance ${formatMoney(yearAllowance)}`,
      quantity: longest,
      rate: null,
      base: formatMoney(yearAllowance),
      percent: formatRate(pct),
      amount: formatMoney(yearAllowance.times(pct).dividedBy(100).negated()),
      affectsBalance: true,
      sources: { missedMonths: longestMonths, streak: terms.missedReportStreak },
    }),
  ];
}
