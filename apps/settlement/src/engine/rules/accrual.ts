import type { AgreementTerms } from '@app/contracts';
import { dec, formatMoney, formatRate, monthOfDate, sumMoney } from '@app/kernel';
import type { MonthInput, StatementInput } from '../statement-input';
import { StatementLine } from '../statement-line';
import { cmp, Keyed, keyed, sortedCards } from './keyed-line';

export interface CardCount {
  model: string;
  count: number;
}

export interface MonthCardFacts {
  month: string;
  /** The terms in force on the month's first day (R-AGR-1); undefined when the dealer had none. */
  terms: AgreementTerms | undefined;
  agreementVersion: number | undefined;
  cards: CardCount[];
}

/** The rate a card of `model` is paid (and penalised, R-AUD-3) at: its model rate, else unitRate. */
export function cardRate(terms: AgreementTerms, model: string): string {
  return terms.modelRates.find((r) => r.model === model)?.rate ?? terms.unitRate ?? '0';
}

/**
 * R-SET-3 for PER_CARD: one line per month and per model rate — models with their own
 * rate get a line each, all others one line at `unitRate`; count × rate, rounded once.
 */
export function perCardAccrualLines(facts: MonthCardFacts): StatementLine[] {
  const { month, terms } = facts;
  const cards = [...facts.cards].filter((c) => c.count > 0).sort((a, b) => cmp(a.model, b.model));
  if (cards.length === 0) return [];
  if (!terms) {
    return [
      {
        ruleId: 'R-AGR-1',
        kind: 'ALLOWANCE_NOT_ACCRUED',
        period: month,
        description: 'no agreement in force on the first day of the month: its cards accrue nothing',
        quantity: cards.reduce((n, c) => n + c.count, 0),
        rate: null,
        base: null,
        percent: null,
        amount: '0.00',
        affectsBalance: true,
        sources: { cardsByModel: cards, agreementVersion: facts.agreementVersion ?? null },
      },
    ];
  }
  if (terms.allowanceBasis !== 'PER_CARD') return [];
  const overrides = new Map(terms.modelRates.map((r) => [r.model, r.rate]));
  const atUnitRate = cards.filter((c) => !overrides.has(c.model));
  const lines: StatementLine[] = [];
  if (atUnitRate.length > 0) {
    const quantity = atUnitRate.reduce((n, c) => n + c.count, 0);
    const rate = terms.unitRate ?? '0';
    lines.push(
      accrualLine(month, quantity, rate, `${quantity} cards × ${formatMoney(rate)}`, {
        cardsByModel: atUnitRate,
        agreementVersion: facts.agreementVersion ?? null,
      }),
    );
  }
  for (const c of cards.filter((x) => overrides.has(x.model))) {
    const rate = overrides.get(c.model)!;
    lines.push(
      accrualLine(month, c.count, rate, `${c.count} ${c.model} cards × ${formatMoney(rate)}`, {
        cardsByModel: [c],
        model: c.model,
        agreementVersion: facts.agreementVersion ?? null,
      }),
    );
  }
  return lines;
}

function accrualLine(
  month: string,
  quantity: number,
  rate: string,
  description: string,
  sources: Record<string, unknown>,
): StatementLine {
  return {
    ruleId: 'R-SET-3',
    kind: 'ALLOWANCE_ACCRUAL',
    period: month,
    description,
    quantity,
    rate: formatRate(rate),
    base: null,
    percent: null,
    amount: formatMoney(dec(rate).times(quantity)),
    affectsBalance: true,
    sources,
  };
}

/**
 * R-SET-3 / R-REP-4 / R-AUD-2: a month's allowance: the cards the callback audit excluded, then
 * the PER_CARD accrual (none for a month whose report was never submitted) or the percent accrual.
 */
export function rSet3MonthAccrual(input: StatementInput, m: MonthInput): Keyed[] {
  const out = rAud2CardsExcluded(input, m);
  if (!m.terms || m.terms.allowanceBasis === 'PER_CARD') return [...out, ...rSet3PerCardMonth(input, m)];
  return [...out, ...rSet3PercentMonth(input, m)];
}

/** R-AUD-2: cards found INCOMPLETE or FALSIFIED by the callback audit are not counted (an informational line). */
function rAud2CardsExcluded(input: StatementInput, m: MonthInput): Keyed[] {
  const excluded = sortedCards(input.excludedCards.filter((c) => c.month === m.month));
  if (excluded.length === 0) return [];
  const falsified = excluded.filter((c) => c.result === 'FALSIFIED').length;
  return [
    keyed('2', {
      ruleId: 'R-AUD-2',
      kind: 'CARDS_EXCLUDED',
      period: m.month,
      description: `${excluded.length} cards found ${falsified ? `FALSIFIED (${falsified})` : ''}${falsified && falsified < excluded.length ? ' or ' : ''}${excluded.length - falsified ? `INCOMPLETE (${excluded.length - falsified})` : ''} by callback audit: not counted`,
      quantity: excluded.length,
      rate: null,
      base: null,
      percent: null,
      amount: '0.00',
      affectsBalance: false,
      sources: {
        cards: excluded.map((c) => ({ serial: c.serial, model: c.model, result: c.result, auditId: c.auditId })),
      },
    }),
  ];
}

/**
 * R-SET-3 PER_CARD, unless R-REP-4: a month whose report due time passed without a submission
 * accrues nothing, in a statement and in a tally alike (DOMAIN §9); a PENDING month (due time not
 * passed yet) accrues provisionally and has no R-REP-4 line.
 */
function rSet3PerCardMonth(input: StatementInput, m: MonthInput): Keyed[] {
  const terms = m.terms;
  const counted = input.cardCounts
    .filter((c) => c.month === m.month && c.count > 0)
    .map((c) => ({ model: c.model, count: c.count }));
  const total = counted.reduce((n, c) => n + c.count, 0);
  if (terms && !m.reportFirstSubmittedAt && !m.pending) {
    return [
      keyed('1', {
        ruleId: 'R-REP-4',
        kind: 'ALLOWANCE_NOT_ACCRUED',
        period: m.month,
        description: `monthly report never submitted: ${total} cards are not paid`,
        quantity: total,
        rate: null,
        base: null,
        percent: null,
        amount: '0.00',
        affectsBalance: true,
        sources: {
          agreementVersion: m.agreementVersion ?? null,
          cardsByModel: [...counted].sort((a, b) => cmp(a.model, b.model)),
        },
      }),
    ];
  }
  return perCardAccrualLines({ month: m.month, terms, agreementVersion: m.agreementVersion, cards: counted }).map(
    (l, i) => keyed(`0|${String(i).padStart(4, '0')}`, l),
  );
}

/** R-SET-3 COLLECTIONS_PERCENT / PURCHASES_PERCENT: the month's collections or purchases × percent, rounded once. */
function rSet3PercentMonth(input: StatementInput, m: MonthInput): Keyed[] {
  const terms = m.terms!;
  const isCollections = terms.allowanceBasis === 'COLLECTIONS_PERCENT';
  const facts = isCollections
    ? input.collections
        .filter((c) => monthOfDate(c.valueDate) === m.month)
        .map((c) => ({ id: c.id, reference: c.reference, date: c.valueDate, amount: c.amount }))
    : input.purchases
        .filter((p) => monthOfDate(p.invoiceDate) === m.month)
        .map((p) => ({ id: p.id, reference: p.reference, date: p.invoiceDate, amount: p.amount }));
  if (facts.length === 0) return [];
  facts.sort((a, b) => cmp(`${a.date}|${a.reference}|${a.id}`, `${b.date}|${b.reference}|${b.id}`));
  const base = sumMoney(facts.map((f) => f.amount));
  const percent = terms.percent ?? '0';
  return [
    keyed('0', {
      ruleId: 'R-SET-3',
      kind: 'ALLOWANCE_ACCRUAL',
      period: m.month,
      description: `${isCollections ? 'collections' : 'purchases'} ${formatMoney(base)} × ${formatRate(percent)} %`,
      quantity: null,
      rate: null,
      base: formatMoney(base),
      percent: formatRate(percent),
      amount: formatMoney(base.times(percent).dividedBy(100)),
      affectsBalance: true,
      sources: {
        agreementVersion: m.agreementVersion ?? null,
        [isCollections ? 'collections' : 'purchases']: facts.map((f) => ({
          id: f.id,
          reference: f.reference,
          date: f.date,
          amount: formatMoney(f.amount),
        })),
      },
    }),
  ];
}
