import type { ExcludedCardInput } from '../statement-input';
import type { StatementLine } from '../statement-line';

/** A line with the key of the facts it comes from, which orders it within its section and period. */
export interface Keyed {
  key: string;
  line: StatementLine;
}

export function keyed(key: string, line: StatementLine): Keyed {
  return { key, line };
}

/** Locale-independent string order (determinism: never localeCompare). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `items` in the order of `keyOf` (a copy). */
export function sortedBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => cmp(keyOf(a), keyOf(b)));
}

export function sortedCards(cards: ExcludedCardInput[]): ExcludedCardInput[] {
  return sortedBy(cards, (c) => `${c.month}|${c.serial}|${c.auditId}`);
}
