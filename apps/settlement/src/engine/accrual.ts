import type { AgreementTerms } from '@app/contracts';
import { dec, formatMoney, formatRate } from '@app/kernel';
import { StatementLine } from './statement-line';

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

/** Locale-independent string order (determinism: never localeCompare). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
