import { dec, formatMoney, formatRate } from '@app/kernel';
import type { ExcludedCardInput, MonthInput } from '../statement-input';
import { cardRate } from './accrual';
import { cmp, Keyed, keyed, sortedCards } from './keyed-line';

/** Why a quarter's accrual is cancelled: a falsified card under CANCEL_QUARTER (R-AUD-3) or a breach (R-SET-6). */
export type CancelCause = Record<string, unknown>;

interface PenaltyGroup {
  month: string;
  rate: string;
  multiple: number;
  cards: ExcludedCardInput[];
}

/**
 * R-AUD-3: falsified cards trigger the fake-card policy of their month's terms: CANCEL_QUARTER
 * becomes a cause of the quarter's cancellation (R-SET-5); PENALTY_MULTIPLE one penalty line per
 * month, card rate and multiple (cards × multiple × rate).
 */
export function rAud3FakeCards(
  excludedCards: ExcludedCardInput[],
  months: MonthInput[],
): { lines: Keyed[]; cancelCauses: CancelCause[] } {
  const termsOf = (month: string) => months.find((m) => m.month === month)?.terms;
  const cancelCauses: CancelCause[] = [];
  const groups = new Map<string, PenaltyGroup>();
  for (const card of sortedCards(excludedCards.filter((c) => c.result === 'FALSIFIED'))) {
    const terms = termsOf(card.month);
    if (!terms) continue;
    if (terms.fakeCardPolicy === 'CANCEL_QUARTER') {
      cancelCauses.push({
        ruleId: 'R-AUD-3',
        policy: 'CANCEL_QUARTER',
        serial: card.serial,
        month: card.month,
        auditId: card.auditId,
      });
      continue;
    }
    const rate = cardRate(terms, card.model);
    const key = `${card.month}|${formatRate(rate)}|${terms.fakeCardMultiple}`;
    const g = groups.get(key) ?? { month: card.month, rate, multiple: terms.fakeCardMultiple, cards: [] };
    g.cards.push(card);
    groups.set(key, g);
  }
  const lines = [...groups].sort((a, b) => cmp(a[0], b[0])).map(([key, g]) => penaltyLine(key, g));
  return { lines, cancelCauses };
}

function penaltyLine(key: string, g: PenaltyGroup): Keyed {
  const unit = dec(g.rate).times(g.multiple);
  return keyed(key, {
    ruleId: 'R-AUD-3',
    kind: 'FAKE_CARD_PENALTY',
    period: g.month,
    description: `${g.cards.length} falsified cards × ${g.multiple} × ${formatMoney(g.rate)} (PENALTY_MULTIPLE)`,
    quantity: g.cards.length,
    rate: formatRate(unit),
    base: null,
    percent: null,
    amount: formatMoney(unit.times(g.cards.length).negated()),
    affectsBalance: true,
    sources: {
      cards: g.cards.map((c) => ({
        serial: c.serial,
        model: c.model,
        auditId: c.auditId,
        recordedOn: c.recordedOn,
      })),
      multiple: g.multiple,
      cardRate: formatMoney(g.rate),
    },
  });
}
