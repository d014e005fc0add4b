import { createHash } from 'node:crypto';
import { english, MessageArgs, MessageRef, withMessageRef } from '@app/platform';

/**
 * Card-level risk signals for risk-weighted callback audits (R-AUD-1, weighting RISK), beyond the
 * R-CARD-1 flags. The facts come from the repository (SQL over the stored cards, sales statistics
 * and earlier audit results); this file only combines them. No Nest, no TypeORM.
 *
 * A card's score is 1 plus the weights of the signals that fire. Scores are small integers, so the
 * score snapshot stored with an audit is exact and the weighted draw over it is reproducible.
 *
 * Why these weights (higher = more typical of a card written to collect an allowance):
 * - base 1: every card can still be drawn, so a risk-weighted sample keeps covering the whole month.
 * - PHONE_AT_OTHER_DEALERS 4: one consumer buying the same product from two dealers is rare; a phone
 *   copied between dealers' cards is the commonest fake found in callbacks.
 * - SHARED_PHONE 3: the same phone on 3 or more accepted cards (any month), beyond the quarterly
 *   PHONE_REUSED flag; families and fleets explain some, hence below the two above.
 * - SERIAL_RUN 3: 4 or more consecutive serials of the dealer's month; stock sold to consumers is
 *   shuffled, cards written from a shipment list are not. Shops selling a pallet to a fleet do it too.
 * - EARLIER_FALSIFIED 3: the dealer had at least 10 % FALSIFIED in earlier audits. A dealer-wide fact
 *   cannot tell one of its cards from another, so it adds weight only to cards where a pattern of the
 *   card itself already fired (not MORE_CARDS_THAN_SOLD, which every card of the model shares): for a
 *   dealer caught before, the patterned cards become likelier still.
 * - SHARED_ADDRESS 2, ADDRESS_AT_OTHER_DEALERS 2: addresses are written loosely (an estate, a
 *   village) so a repeat says less than a phone does.
 * - MONTH_END_CLUSTER 2: sale dates in the last 3 days of the month, when more of the month's cards
 *   have them than evenly spread sales would by chance (a tenth expected, more than 2 standard
 *   deviations above): cards written to reach a monthly target. Month-end promotions are real,
 *   hence a low weight.
 * - MORE_CARDS_THAN_SOLD 2: more cards for an outlet and model than units the dealer itself reported
 *   sold that month cannot all be real sales, but nothing says which of them are not, and the
 *   genuine cards of that model carry it as well: it tells the dealer's month apart more than the card.
 */
export const RISK_WEIGHTS = {
  PHONE_AT_OTHER_DEALERS: 4,
  SHARED_PHONE: 3,
  SERIAL_RUN: 3,
  EARLIER_FALSIFIED: 3,
  SHARED_ADDRESS: 2,
  ADDRESS_AT_OTHER_DEALERS: 2,
  MONTH_END_CLUSTER: 2,
  MORE_CARDS_THAN_SOLD: 2,
} as const;
export type RiskSignalCode = keyof typeof RISK_WEIGHTS;
export const RISK_SIGNAL_CODES = Object.keys(RISK_WEIGHTS) as RiskSignalCode[];

/** Thresholds of the signals (see the weights above). */
export const RISK_THRESHOLDS = {
  /** Accepted cards with the same phone (or address) before it counts as shared. */
  sharedContactCards: 3,
  /** Consecutive serials that make a run. */
  serialRun: 4,
  /** The last days of a month that count as its end. */
  monthEndDays: 3,
  /** The least number of month-end sales that can make a cluster. */
  monthEndMinCards: 3,
  /** Earlier FALSIFIED share (percent) of the dealer's audited cards. */
  falsifiedPercent: 10,
} as const;

/** What the repository knows about one card of the population. */
export interface CardRiskFacts {
  serial: string;
  outlet: string;
  model: string;
  /** YYYY-MM-DD */
  saleDate: string;
  /** Accepted cards (any dealer, any month, this one included) with the card's phone, and their dealers. */
  phoneCards: number;
  phoneDealers: number;
  /** The same for the card's address (compared without spaces and case). */
  addressCards: number;
  addressDealers: number;
}

/** Dealer-month facts: the latest sales statistics and the results of earlier audits. */
export interface DealerRiskFacts {
  /** Units per outlet and model in the month's latest sales statistics; null when none were submitted. */
  unitsSold: Array<{ outlet: string; model: string; units: number }> | null;
  /** Results recorded in the dealer's earlier audits. */
  earlierAudited: number;
  earlierFalsified: number;
}

/** A signal that fired on a card: stored with the audit as code, weight and the arguments of its reason. */
export interface FiredSignal {
  code: RiskSignalCode;
  weight: number;
  args: Record<string, string | number>;
}

export interface CardRisk {
  serial: string;
  score: number;
  signals: FiredSignal[];
}

const fire = (code: RiskSignalCode, args: Record<string, string | number>): FiredSignal => ({
  code,
  weight: RISK_WEIGHTS[code],
  args,
});

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Days from the sale date to the last day of its month (0 on the last day). */
export function daysBeforeMonthEnd(saleDate: string): number {
  const [y, m, d] = saleDate.split('-').map(Number);
  return daysInMonth(y, m) - d;
}

const isMonthEnd = (saleDate: string) => daysBeforeMonthEnd(saleDate) < RISK_THRESHOLDS.monthEndDays;

/** Splits a serial into its prefix and trailing number (`EB-000123` → `EB-`, 123n); null without trailing digits. */
export function serialNumber(serial: string): { prefix: string; n: bigint } | null {
  const m = /^(.*?)(\d+)$/.exec(serial);
  return m ? { prefix: m[1], n: BigInt(m[2]) } : null;
}

/** Serial → the run of consecutive serials (same prefix) it belongs to, for runs of at least `serialRun`. */
export function serialRuns(serials: readonly string[]): Map<string, { length: number; first: string; last: string }> {
  const byPrefix = new Map<string, Array<{ serial: string; n: bigint }>>();
  for (const serial of new Set(serials)) {
    const parsed = serialNumber(serial);
    if (!parsed) continue;
    const list = byPrefix.get(parsed.prefix) ?? [];
    list.push({ serial, n: parsed.n });
    byPrefix.set(parsed.prefix, list);
  }
  const runs = new Map<string, { length: number; first: string; last: string }>();
  for (const list of byPrefix.values()) {
    list.sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
    let start = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i < list.length && list[i].n === list[i - 1].n + 1n) continue;
      const run = list.slice(start, i);
      if (run.length >= RISK_THRESHOLDS.serialRun) {
        const info = { length: run.length, first: run[0].serial, last: run[run.length - 1].serial };
        for (const r of run) runs.set(r.serial, info);
      }
      start = i;
    }
  }
  return runs;
}

/**
 * The month-end share (percent, rounded down) of the population's sale dates when it makes a
 * cluster, else null. Evenly spread, a card falls in a month's last 3 days with p ≈ 1/10; a cluster
 * is more such cards k than n·p + 2·sqrt(n·p·(1 − p)), i.e. (10k − n)² > 36n with 10k > n, in integers.
 */
export function monthEndCluster(cards: readonly CardRiskFacts[]): number | null {
  const n = cards.length;
  const k = cards.filter((c) => isMonthEnd(c.saleDate)).length;
  const clustered = k >= RISK_THRESHOLDS.monthEndMinCards && 10 * k > n && (10 * k - n) ** 2 > 36 * n;
  return clustered ? Math.floor((k * 100) / n) : null;
}

const outletModel = (outlet: string, model: string) => `${outlet}\u0000${model}`;

/** Outlet and model → cards and units sold, for those with more cards than units (only when statistics exist). */
export function oversold(
  cards: readonly CardRiskFacts[],
  unitsSold: DealerRiskFacts['unitsSold'],
): Map<string, { cards: number; units: number }> {
  const out = new Map<string, { cards: number; units: number }>();
  if (unitsSold === null) return out;
  const units = new Map<string, number>();
  for (const l of unitsSold)
    units.set(outletModel(l.outlet, l.model), (units.get(outletModel(l.outlet, l.model)) ?? 0) + l.units);
  const counts = new Map<string, number>();
  for (const c of cards)
    counts.set(outletModel(c.outlet, c.model), (counts.get(outletModel(c.outlet, c.model)) ?? 0) + 1);
  for (const [key, n] of counts) {
    const sold = units.get(key) ?? 0;
    if (n > sold) out.set(key, { cards: n, units: sold });
  }
  return out;
}

/** True when the dealer's earlier audits found at least the threshold share FALSIFIED. */
export const earlierFalsifiedFires = (d: DealerRiskFacts): boolean =>
  d.earlierFalsified > 0 && d.earlierFalsified * 100 >= d.earlierAudited * RISK_THRESHOLDS.falsifiedPercent;

/** The card-level signals of one card, given the population-wide findings. */
function cardSignals(
  c: CardRiskFacts,
  runs: ReturnType<typeof serialRuns>,
  endShare: number | null,
  over: ReturnType<typeof oversold>,
): FiredSignal[] {
  const t = RISK_THRESHOLDS.sharedContactCards;
  const signals: FiredSignal[] = [];
  if (c.phoneDealers >= 2) signals.push(fire('PHONE_AT_OTHER_DEALERS', { dealers: c.phoneDealers }));
  const o = over.get(outletModel(c.outlet, c.model));
  if (o)
    signals.push(fire('MORE_CARDS_THAN_SOLD', { cards: o.cards, units: o.units, model: c.model, outlet: c.outlet }));
  if (c.phoneCards >= t) signals.push(fire('SHARED_PHONE', { cards: c.phoneCards }));
  const run = runs.get(c.serial);
  if (run) signals.push(fire('SERIAL_RUN', { length: run.length, first: run.first, last: run.last }));
  if (c.addressCards >= t) signals.push(fire('SHARED_ADDRESS', { cards: c.addressCards }));
  if (c.addressDealers >= 2) signals.push(fire('ADDRESS_AT_OTHER_DEALERS', { dealers: c.addressDealers }));
  if (endShare !== null && isMonthEnd(c.saleDate))
    signals.push(fire('MONTH_END_CLUSTER', { saleDate: c.saleDate, percent: endShare }));
  return signals;
}

/**
 * Scores every card of a dealer's month: 1 plus the weights of the signals that fire. The result
 * is in the order of `cards`; a card with no signal scores 1.
 */
export function scoreCards(cards: readonly CardRiskFacts[], dealer: DealerRiskFacts): CardRisk[] {
  const runs = serialRuns(cards.map((c) => c.serial));
  const endShare = monthEndCluster(cards);
  const over = oversold(cards, dealer.unitsSold);
  const falsified = earlierFalsifiedFires(dealer);
  return cards.map((c) => {
    const signals = cardSignals(c, runs, endShare, over);
    if (falsified && signals.some((s) => s.code !== 'MORE_CARDS_THAN_SOLD'))
      signals.push(fire('EARLIER_FALSIFIED', { falsified: dealer.earlierFalsified, audited: dealer.earlierAudited }));
    return { serial: c.serial, score: 1 + signals.reduce((sum, s) => sum + s.weight, 0), signals };
  });
}

/** The catalogue message of a signal's reason. */
export const signalReasonRef = (s: Pick<FiredSignal, 'code' | 'args'>): MessageRef => ({
  key: `reasons.audits.risk.${s.code}`,
  args: s.args as MessageArgs,
});

/** A signal as shown: English reason, with its message attached so it can be given in the request's language. */
export function signalView(s: FiredSignal): { code: RiskSignalCode; weight: number; reason: string } {
  const ref = signalReasonRef(s);
  return withMessageRef({ code: s.code, weight: s.weight, reason: english(ref.key, ref.args) }, ref);
}

/** SHA-256 (hex) of the score snapshot: `serial score` lines in the population's canonical order. */
export function riskHash(population: readonly string[], scores: readonly number[]): string {
  const lines = population.map((serial, i) => `${serial} ${scores[i]}`);
  return createHash('sha256').update(lines.join('\n'), 'utf8').digest('hex');
}
