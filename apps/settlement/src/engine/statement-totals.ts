import { dec, formatMoney, sumMoney } from '@app/kernel';
import { cmp, Keyed } from './rules/keyed-line';
import type { StatementInput, StatementOutcome, StatementTotals } from './statement-input';
import { STATEMENT_LINE_KINDS, StatementLine, StatementLineKind } from './statement-line';

const SECTION: Record<StatementLineKind, number> = {
  ALLOWANCE_ACCRUAL: 10,
  ALLOWANCE_NOT_ACCRUED: 10,
  CARDS_EXCLUDED: 10,
  ACCRUAL_CANCELLED: 20,
  FAKE_CARD_PENALTY: 30,
  PARTS_CHARGE: 40,
  PARTS_FREE: 40,
  PARTS_INVOICED: 40,
  RETURN_CHARGE: 50,
  COMPLAINT_PENALTY: 60,
  VIOLATION_PENALTY: 61,
  MISSED_REPORT_PENALTY: 62,
  EXCELLENCE_AWARD: 70,
  URGENT_FREIGHT_INVOICED: 80,
  OLD_PARTS_INVOICED: 81,
  PRIOR_PERIOD_ADJUSTMENT: 90,
  DISPUTE_RESOLUTION: 95,
};

/** Deterministic order: section of the formula (R-SET-2), period, then a key made of the facts' ids. */
export function orderLines(lines: Keyed[]): StatementLine[] {
  const sortKey = (k: Keyed) =>
    `${String(SECTION[k.line.kind]).padStart(3, '0')}|${k.line.period}|${k.key}|${String(STATEMENT_LINE_KINDS.indexOf(k.line.kind)).padStart(2, '0')}`;
  return [...lines]
    .map((k) => ({ k: sortKey(k), line: k.line }))
    .sort((a, b) => cmp(a.k, b.k))
    .map(({ line }, i) => ({ ...line, lineNo: i + 1, affectsBalance: line.affectsBalance !== false }));
}

/** R-SET-2 / R-MNY-1: the totals, each a sum of rounded lines. */
export function totalsOf(lines: StatementLine[]): StatementTotals {
  const sum = (pred: (l: StatementLine) => boolean) => formatMoney(sumMoney(lines.filter(pred).map((l) => l.amount)));
  const byKind: Record<string, string> = {};
  for (const kind of STATEMENT_LINE_KINDS) {
    if (lines.some((l) => l.kind === kind)) byKind[kind] = sum((l) => l.kind === kind);
  }
  const inBalance = (l: StatementLine) => l.affectsBalance !== false;
  return {
    byKind,
    accrual: sum((l) => l.kind === 'ALLOWANCE_ACCRUAL' || l.kind === 'ACCRUAL_CANCELLED'),
    parts: sum((l) => l.kind === 'PARTS_CHARGE'),
    returns: sum((l) => l.kind === 'RETURN_CHARGE'),
    penalties: sum((l) =>
      ['FAKE_CARD_PENALTY', 'COMPLAINT_PENALTY', 'VIOLATION_PENALTY', 'MISSED_REPORT_PENALTY'].includes(l.kind),
    ),
    awards: sum((l) => l.kind === 'EXCELLENCE_AWARD'),
    adjustments: sum((l) => l.kind === 'PRIOR_PERIOD_ADJUSTMENT' && inBalance(l)),
    disputes: sum((l) => l.kind === 'DISPUTE_RESOLUTION'),
    invoiced: sum((l) => !inBalance(l)),
    net: sum(inBalance),
  };
}

/** R-SET-4: what happens to the closing balance. */
export function outcomeOf(mode: StatementInput['settlementMode'], closing: string): StatementOutcome {
  const c = dec(closing);
  const zero = '0.00';
  if (mode === 'FUND_CARRY_OVER') {
    return c.isNegative() && !c.isZero()
      ? { carriedForward: zero, billedToDealer: formatMoney(c.negated()), payableToDealer: zero, nextOpening: zero }
      : { carriedForward: formatMoney(c), billedToDealer: zero, payableToDealer: zero, nextOpening: formatMoney(c) };
  }
  return {
    carriedForward: zero,
    billedToDealer: c.isNegative() && !c.isZero() ? formatMoney(c.negated()) : zero,
    payableToDealer: c.isPositive() && !c.isZero() ? formatMoney(c) : zero,
    nextOpening: zero,
  };
}
