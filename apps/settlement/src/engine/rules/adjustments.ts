import { Dec, dec, formatMoney, formatRate, quarterOfMonth, roundMoney } from '@app/kernel';
import type { LateFact } from '../statement-input';
import type { StatementLine } from '../statement-line';
import { cardRate } from './accrual';
import { cmp, Keyed, keyed } from './keyed-line';
import { rPrt2PartsLine, rPrt3UrgentFreightLine, rPrt4OldPartsLine } from './parts';
import { rSet2PenaltyLine } from './penalties';
import { rRet4ReturnLine } from './returns';

type LateOf<K extends LateFact['kind']> = Extract<LateFact, { kind: K }>;

/** R-SET-7: each late fact becomes a prior-period adjustment line naming its period and the fact. */
export function rSet7PriorPeriodAdjustments(facts: LateFact[]): Keyed[] {
  const sorted = [...facts].sort((a, b) =>
    cmp(`${a.period}|${a.kind}|${lateKey(a)}`, `${b.period}|${b.kind}|${lateKey(b)}`),
  );
  const { lines, cancelled } = rSet7CancelledQuarters(sorted);
  return [
    ...lines,
    ...rSet7LatePercentBase(sorted.filter(isPercentFact), cancelled),
    ...sorted.filter((f) => !isPercentFact(f)).flatMap((f) => rSet7Adjustment(f, lateKey(f), cancelled)),
  ];
}

const isPercentFact = (f: LateFact): f is LateOf<'COLLECTION' | 'PURCHASE'> =>
  f.kind === 'COLLECTION' || f.kind === 'PURCHASE';

const cancelsQuarter = (f: LateFact): f is LateOf<'BREACH'> | LateOf<'AUDIT_FINDING'> =>
  f.kind === 'BREACH' ||
  (f.kind === 'AUDIT_FINDING' && f.card.result === 'FALSIFIED' && f.terms?.fakeCardPolicy === 'CANCEL_QUARTER');

/** R-SET-5 / R-SET-6 late: a quarter's approved accrual reversed once, by its first late breach or CANCEL_QUARTER card. */
function rSet7CancelledQuarters(sorted: LateFact[]): { lines: Keyed[]; cancelled: Set<string> } {
  const cancelled = new Set<string>();
  const lines: Keyed[] = [];
  for (const f of sorted.filter(cancelsQuarter)) {
    const q = f.kind === 'BREACH' ? f.fact.quarter : quarterOfMonth(f.period);
    if (cancelled.has(q)) continue;
    cancelled.add(q);
    const amount = dec(f.quarterAccrual ?? '0');
    const ruleId = f.kind === 'BREACH' ? 'R-SET-6' : 'R-SET-5';
    const cause =
      f.kind === 'BREACH' ? `breach ${f.fact.reference}` : `falsified card ${f.card.serial} under CANCEL_QUARTER`;
    lines.push(
      late(f, `${q}|cancel`, ruleId, `${q} allowance accrual ${formatMoney(amount)} cancelled: ${cause}`, {
        base: formatMoney(amount),
        amount: formatMoney(amount.negated()),
      }),
    );
  }
  return { lines, cancelled };
}

/** The adjustment lines of one late fact; the rule of its kind, relabelled R-SET-7. */
function rSet7Adjustment(f: LateFact, k: string, cancelled: Set<string>): Keyed[] {
  const prefix = `late fact of ${f.period}: `;
  switch (f.kind) {
    case 'AUDIT_FINDING':
      return lateAuditFinding(f, k);
    case 'CARDS_ACCEPTED':
    case 'CARDS_WITHDRAWN':
      return lateCards(f, k, cancelled);
    case 'COLLECTION':
    case 'PURCHASE':
      return []; // rSet7LatePercentBase: the month is re-rounded as a whole
    case 'REQUISITION_LINE':
      return [asLate(f, k, rPrt2PartsLine(f.fact, prefix))];
    case 'URGENT_FREIGHT':
      return [asLate(f, k, rPrt3UrgentFreightLine(f.fact, prefix))];
    case 'OLD_PARTS_INVOICE':
      return [asLate(f, k, rPrt4OldPartsLine(f.fact, prefix))];
    case 'RETURN_CHARGE':
      if (f.fact.payer !== 'DEALER_ALLOWANCE') return [];
      return [asLate(f, k, rRet4ReturnLine(f.fact.returnId, [f.fact], prefix))];
    case 'COMPLAINT':
      return [asLate(f, k, rSet2PenaltyLine('COMPLAINT_PENALTY', 'complaint', f.fact, prefix))];
    case 'VIOLATION':
      return [asLate(f, k, rSet2PenaltyLine('VIOLATION_PENALTY', 'violation', f.fact, prefix))];
    case 'BREACH':
      return [];
  }
}

/** R-AUD-2 late: a counted PER_CARD card's accrual reversed; R-AUD-3 late: a falsified card's penalty. */
function lateAuditFinding(f: LateOf<'AUDIT_FINDING'>, k: string): Keyed[] {
  const { card, terms } = f;
  if (card.result === 'FALSIFIED' && terms?.fakeCardPolicy === 'CANCEL_QUARTER') return [];
  const out: Keyed[] = [];
  if (terms && terms.allowanceBasis === 'PER_CARD' && f.wasCounted) {
    const rate = cardRate(terms, card.model);
    out.push(
      late(
        f,
        `${k}|1-reverse`,
        'R-AUD-2',
        `card ${card.serial} (${card.model}) of ${card.month} found ${card.result}: its accrual reversed`,
        { quantity: -1, rate: formatRate(rate), amount: formatMoney(dec(rate).negated()) },
      ),
    );
  }
  if (card.result === 'FALSIFIED' && terms) {
    const unit = dec(cardRate(terms, card.model)).times(terms.fakeCardMultiple);
    out.push(
      late(
        f,
        `${k}|2-penalty`,
        'R-AUD-3',
        `card ${card.serial} (${card.model}) of ${card.month} found FALSIFIED: ${terms.fakeCardMultiple} × ${formatMoney(cardRate(terms, card.model))}`,
        { quantity: 1, rate: formatRate(unit), amount: formatMoney(unit.negated()) },
      ),
    );
  }
  return out;
}

/** R-SET-3 late: PER_CARD cards accepted or withdrawn after approval, unless the quarter's accrual stands cancelled. */
function lateCards(f: LateOf<'CARDS_ACCEPTED' | 'CARDS_WITHDRAWN'>, k: string, cancelled: Set<string>): Keyed[] {
  const quarterCancelled = f.quarterCancelled || cancelled.has(quarterOfMonth(f.period));
  if (!f.terms || f.terms.allowanceBasis !== 'PER_CARD' || !f.monthAccrues || quarterCancelled) return [];
  const rate = cardRate(f.terms, f.model);
  const sign = f.kind === 'CARDS_ACCEPTED' ? 1 : -1;
  const what = `${f.count} ${f.model} cards of ${f.period} ${f.kind === 'CARDS_ACCEPTED' ? 'accepted' : 'withdrawn'} after approval × ${formatMoney(rate)}`;
  return [
    late(f, k, 'R-SET-3', what, {
      quantity: sign * f.count,
      rate: formatRate(rate),
      amount: formatMoney(dec(rate).times(f.count).times(sign)),
    }),
  ];
}

/**
 * R-SET-7 with a percent basis (DOMAIN §9): a late collection or purchase changes its month's base;
 * each one, in order, takes the month from its base before to its base after and its line is
 * round(after × %) − round(before × %), starting from the base already settled. The month's accrual
 * lines across all statements thus sum to its whole base × % rounded once (R-SET-3, R-MNY-1).
 * Nothing when the quarter's accrual stands cancelled (R-SET-5/6): the quarter stays cancelled.
 */
function rSet7LatePercentBase(facts: Array<LateOf<'COLLECTION' | 'PURCHASE'>>, cancelled: Set<string>): Keyed[] {
  const running = new Map<string, Dec>();
  return facts.flatMap((f) => {
    const basis = f.kind === 'COLLECTION' ? 'COLLECTIONS_PERCENT' : 'PURCHASES_PERCENT';
    const quarter = quarterOfMonth(f.period);
    if (!f.terms || f.terms.allowanceBasis !== basis || f.quarterCancelled || cancelled.has(quarter)) return [];
    const pct = f.terms.percent ?? '0';
    const accrualOf = (b: Dec) => roundMoney(b.times(pct).dividedBy(100));
    const before = running.get(`${f.kind}|${f.period}`) ?? dec(f.settledBase ?? '0');
    const after = before.plus(f.fact.amount);
    running.set(`${f.kind}|${f.period}`, after);
    const what = `${f.kind === 'COLLECTION' ? 'collection' : 'purchase'} ${f.fact.reference} of ${f.period} ${formatMoney(f.fact.amount)}: the month's ${f.kind === 'COLLECTION' ? 'collections' : 'purchases'} ${formatMoney(before)} → ${formatMoney(after)} × ${formatRate(pct)} % = ${formatMoney(accrualOf(after))}, less ${formatMoney(accrualOf(before))} settled`;
    const line = late(f, lateKey(f), 'R-SET-3', what, {
      base: formatMoney(after),
      percent: formatRate(pct),
      amount: formatMoney(accrualOf(after).minus(accrualOf(before))),
    });
    const settled = { baseBefore: formatMoney(before), accrualBefore: formatMoney(accrualOf(before)) };
    return [{ ...line, line: { ...line.line, sources: { ...line.line.sources, ...settled } } }];
  });
}

function lateKey(f: LateFact): string {
  switch (f.kind) {
    case 'AUDIT_FINDING':
      return `${f.card.serial}|${f.card.auditId}`;
    case 'CARDS_ACCEPTED':
    case 'CARDS_WITHDRAWN':
      return `${f.factId}|${f.model}`;
    case 'COLLECTION':
    case 'PURCHASE':
    case 'COMPLAINT':
    case 'VIOLATION':
    case 'BREACH':
      return `${f.fact.reference}|${f.fact.id}`;
    case 'REQUISITION_LINE':
    case 'OLD_PARTS_INVOICE':
      return `${f.fact.requisitionId}|${f.fact.lineId}`;
    case 'URGENT_FREIGHT':
      return f.fact.requisitionId;
    case 'RETURN_CHARGE':
      return `${f.fact.returnId}|${f.fact.kind}|${f.fact.payer}|${f.fact.amount}|${f.fact.detail ?? ''}`;
  }
}

function late(
  f: LateFact,
  key: string,
  originalRuleId: string,
  what: string,
  v: { quantity?: number; rate?: string; base?: string; percent?: string; amount: string },
): Keyed {
  return keyed(`${f.period}|${key}`, {
    ruleId: 'R-SET-7',
    kind: 'PRIOR_PERIOD_ADJUSTMENT',
    period: f.period,
    description: `prior-period adjustment for ${f.period}: ${what}`,
    quantity: v.quantity ?? null,
    rate: v.rate ?? null,
    base: v.base ?? null,
    percent: v.percent ?? null,
    amount: v.amount,
    affectsBalance: true,
    sources: { originalRuleId, factKind: f.kind, fact: lateFactSource(f) },
  });
}

function asLate(f: LateFact, key: string, line: StatementLine): Keyed {
  return keyed(`${f.period}|${key}|${line.kind}`, {
    ...line,
    ruleId: 'R-SET-7',
    kind: 'PRIOR_PERIOD_ADJUSTMENT',
    period: f.period,
    description: `prior-period adjustment for ${f.period}: ${line.description}`,
    sources: { originalRuleId: line.ruleId, originalKind: line.kind, factKind: f.kind, ...line.sources },
  });
}

function lateFactSource(f: LateFact): unknown {
  switch (f.kind) {
    case 'AUDIT_FINDING':
      return {
        serial: f.card.serial,
        model: f.card.model,
        month: f.card.month,
        result: f.card.result,
        auditId: f.card.auditId,
        recordedOn: f.card.recordedOn,
        wasCounted: f.wasCounted,
      };
    case 'CARDS_ACCEPTED':
    case 'CARDS_WITHDRAWN':
      return { factId: f.factId, model: f.model, count: f.count };
    case 'BREACH':
      return { breachId: f.fact.id, reference: f.fact.reference, quarter: f.fact.quarter };
    default:
      return f.fact;
  }
}
