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

/**
 * R-SET-3 for PER_CARD: one line per month and per model rate — models with their own
 * rate get a line each, all others one line at `unitRate`; count × rate, rounded once.
 */
export function perCardAccrualLines(facts: MonthCardFacts): StatementLine[] {
  const { month, terms } = facts;
  const cards = [...facts.cards].filter((c) => c.count > 0).sort((a, b) => a.model.localeCompare(b.model));
  if (cards.length === 0) return [];
  if (!terms || terms.allowanceBasis !== 'PER_CARD') {
    return [{
      ruleId: 'R-SET-3', kind: 'ALLOWANCE_NOT_ACCRUED', period: month,
      description: terms ? `cards are not paid under allowance basis ${terms.allowanceBasis}` : 'no agreement in force on the first day of the month',
      quantity: cards.reduce((n, c) => n + c.count, 0), rate: null, base: null, percent: null, amount: '0.00',
      sources: { cardsByModel: cards, agreementVersion: facts.agreementVersion ?? null },
    }];
  }
  const overrides = new Map(terms.modelRates.map((r) => [r.model, r.rate]));
  const atUnitRate = cards.filter((c) => !overrides.has(c.model));
  const lines: StatementLine[] = [];
  if (atUnitRate.length > 0) {
    const quantity = atUnitRate.reduce((n, c) => n + c.count, 0);
    const rate = terms.unitRate ?? '0';
    lines.push(accrualLine(month, quantity, rate, `${quantity} cards × ${formatMoney(rate)}`, { cardsByModel: atUnitRate, agreementVersion: facts.agreementVersion }));
  }
  for (const c of cards.filter((x) => overrides.has(x.model))) {
    const rate = overrides.get(c.model)!;
    lines.push(accrualLine(month, c.count, rate, `${c.count} ${c.model} cards × ${formatMoney(rate)}`, { cardsByModel: [c], model: c.model, agreementVersion: facts.agreementVersion }));
  }
  return lines;
}

function accrualLine(month: string, quantity: number, rate: string, description: string, sources: Record<string, unknown>): StatementLine {
  return {
    ruleId: 'R-SET-3', kind: 'ALLOWANCE_ACCRUAL', period: month, description,
    quantity, rate: formatRate(rate), base: null, percent: null,
    amount: formatMoney(dec(rate).times(quantity)), sources,
  };
}
