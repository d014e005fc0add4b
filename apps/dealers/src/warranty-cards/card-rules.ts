import { DEALER_CODE_REGEX, MODEL_CODE_REGEX } from '@app/contracts';
import { addMonths, firstDayOfMonth, isDateWithinLimits, lastDayOfMonth } from '@app/kernel';
import { english, MessageArgs, withMessageRef } from '@app/platform';

/** Reject codes of R-CARD-1 (DOMAIN §3). */
export type CardRejectCode =
  | 'DUPLICATE_SERIAL'
  | 'NOT_SHIPPED_TO_DEALER'
  | 'SOLD_BEFORE_SHIPPED'
  | 'SALE_DATE_OUT_OF_WINDOW'
  | 'UNKNOWN_MODEL'
  | 'UNKNOWN_OUTLET'
  | 'INVALID_FIELD'
  | 'REPORT_CLOSED';

/** Flags of R-CARD-1: the card is accepted, and finance sees why it deserves a look. */
export type CardFlag = 'PHONE_REUSED' | 'SERIAL_NOT_IN_REGISTRY';

/** DUPLICATE_SERIAL's reason when another card of the serial is accepted. */
export const ALREADY_ACCEPTED_REF = { key: 'reasons.cards.alreadyAccepted' };
export const ALREADY_ACCEPTED = english(ALREADY_ACCEPTED_REF.key);

/** R-CARD-1 PHONE_REUSED: a phone on more than this many accepted cards in a quarter. */
export const PHONE_REUSE_LIMIT = 3;

export interface CardInput {
  serial: string;
  model: string;
  saleDate: string;
  outlet: string;
  consumerName: string;
  phone: string;
  address: string;
}

export type CardVerdict =
  | { ok: true; card: CardInput; flags: CardFlag[] }
  | { ok: false; code: CardRejectCode; field?: string; reason: string };

/** The shipment registry's line for a serial. */
export interface ShipmentFact {
  dealerCode: string;
  shippedOn: string;
}

/**
 * What the rules need beyond the card itself, loaded once per batch (a handful of queries,
 * never one per card) by the use case.
 */
export interface CardRuleContext {
  dealerCode: string;
  reportMonth: string;
  /** The dealer itself and its registered sub-distributors (UNKNOWN_OUTLET). */
  outlets: ReadonlySet<string>;
  /** The product catalogue's entries among the batch's models (UNKNOWN_MODEL). */
  models: ReadonlySet<string>;
  /** The shipment registry's lines for the batch's serials; a serial absent here is not in the registry. */
  shipments: ReadonlyMap<string, ShipmentFact>;
  /** The report month is closed: its quarter was approved (REPORT_CLOSED). */
  reportClosed?: boolean;
}

/** Batch-level knowledge: phone reuse depends on the cards already stored. */
export interface CardBatchContext extends CardRuleContext {
  /** Accepted cards already stored per phone in the report month's quarter, across all dealers (PHONE_REUSED). */
  phoneCardsInQuarter: ReadonlyMap<string, number>;
  /**
   * The batch's serials that already had an accepted card when the batch was looked up
   * (DUPLICATE_SERIAL). One committed after that lookup is refused by the unique index instead.
   */
  takenSerials: ReadonlySet<string>;
}

const SERIAL = /^[A-Z0-9][A-Z0-9-]{3,39}$/;
const NUL = '\u0000';
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{9,11}$/;

/**
 * Trims and upper-cases what a dealer's software may send loosely; the outlet defaults to the
 * dealer; phones lose spaces and dashes so the same number always reads the same (PHONE_REUSED).
 */
export function normaliseCard(raw: Record<string, unknown>, dealerCode: string): Record<string, unknown> {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
  const code = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : v);
  return {
    serial: code(raw.serial),
    model: code(raw.model),
    saleDate: text(raw.saleDate),
    outlet: raw.outlet === undefined || raw.outlet === null ? dealerCode : code(raw.outlet),
    consumerName: text(raw.consumerName),
    phone: typeof raw.phone === 'string' ? raw.phone.replace(/[\s-]+/g, '') : raw.phone,
    address: text(raw.address),
  };
}

interface SaleWindow {
  earliest: string;
  latest: string;
}

/** SALE_DATE_OUT_OF_WINDOW: the report month or the month before it. */
function saleWindow(reportMonth: string): SaleWindow {
  return { earliest: firstDayOfMonth(addMonths(reportMonth, -1)), latest: lastDayOfMonth(reportMonth) };
}

/** A refused card; `reason` is English, the message it is written from is attached (messageRefOf). */
function rejected(code: CardRejectCode, key: string, args?: MessageArgs, field?: string): CardVerdict {
  const verdict = { ok: false as const, code, ...(field ? { field } : {}), reason: english(key, args) };
  return withMessageRef(verdict, { key, args });
}

const invalid = (field: string, key: string): CardVerdict => rejected('INVALID_FIELD', key, undefined, field);

const isText = (v: unknown, max: number): boolean =>
  typeof v === 'string' && v.length > 0 && v.length <= max && !v.includes(NUL);

/** The field checks of INVALID_FIELD, in the order a card's single reason is chosen from. */
const FIELD_CHECKS: ReadonlyArray<{
  field: string;
  rule: string;
  valid: (v: unknown) => boolean;
  reason: string;
}> = [
  {
    field: 'serial',
    rule: 'matches',
    valid: (v) => typeof v === 'string' && SERIAL.test(v),
    reason: 'reasons.cards.serial',
  },
  {
    field: 'model',
    rule: 'matches',
    valid: (v) => typeof v === 'string' && MODEL_CODE_REGEX.test(v),
    reason: 'reasons.cards.model',
  },
  {
    field: 'saleDate',
    rule: 'calendarDate',
    valid: isDateWithinLimits,
    reason: 'reasons.cards.saleDate',
  },
  {
    field: 'outlet',
    rule: 'matches',
    valid: (v) => typeof v === 'string' && DEALER_CODE_REGEX.test(v),
    reason: 'reasons.cards.outlet',
  },
  {
    field: 'consumerName',
    rule: 'requiredText',
    valid: (v) => isText(v, 100),
    reason: 'reasons.cards.consumerName',
  },
  {
    field: 'phone',
    rule: 'phone',
    valid: (v) => typeof v === 'string' && (MOBILE.test(v) || LANDLINE.test(v)),
    reason: 'reasons.cards.phone',
  },
  {
    field: 'address',
    rule: 'requiredText',
    valid: (v) => isText(v, 300),
    reason: 'reasons.cards.address',
  },
];

/** Every field of a normalised card that INVALID_FIELD would name (a file upload lists them all, R-REP-3). */
export function invalidCardFields(c: Record<string, unknown>): Array<{ field: string; rule: string; reason: string }> {
  return FIELD_CHECKS.filter((check) => !check.valid(c[check.field])).map(({ field, rule, reason }) =>
    withMessageRef({ field, rule, reason: english(reason) }, { key: reason }),
  );
}

/**
 * R-CARD-1: the checks one card passes or fails on its own (the card already normalised), in a
 * fixed order so the same card always gets the same single reason:
 * REPORT_CLOSED, INVALID_FIELD, UNKNOWN_MODEL, UNKNOWN_OUTLET, SALE_DATE_OUT_OF_WINDOW,
 * NOT_SHIPPED_TO_DEALER, SOLD_BEFORE_SHIPPED; then SERIAL_NOT_IN_REGISTRY is flagged.
 * Duplicates and phone reuse need the rest of the batch (evaluateBatch), which also works out the
 * sale window once for all its cards.
 */
export function checkCard(
  c: Record<string, unknown>,
  ctx: CardRuleContext,
  window: SaleWindow = saleWindow(ctx.reportMonth),
): CardVerdict {
  if (ctx.reportClosed) return rejected('REPORT_CLOSED', 'reasons.cards.reportClosed', { month: ctx.reportMonth });
  const firstInvalid = FIELD_CHECKS.find((check) => !check.valid(c[check.field]));
  if (firstInvalid) return invalid(firstInvalid.field, firstInvalid.reason);

  const card = c as unknown as CardInput;
  if (!ctx.models.has(card.model))
    return rejected('UNKNOWN_MODEL', 'reasons.cards.unknownModel', { model: card.model });
  if (!ctx.outlets.has(card.outlet))
    return rejected('UNKNOWN_OUTLET', 'reasons.cards.unknownOutlet', { outlet: card.outlet });
  const { earliest, latest } = window;
  if (card.saleDate < earliest || card.saleDate > latest) {
    return rejected('SALE_DATE_OUT_OF_WINDOW', 'reasons.cards.saleWindow', { earliest, latest });
  }
  const shipped = ctx.shipments.get(card.serial);
  if (shipped && shipped.dealerCode !== ctx.dealerCode) {
    return rejected('NOT_SHIPPED_TO_DEALER', 'reasons.cards.otherDealer', { serial: card.serial });
  }
  if (shipped && card.saleDate < shipped.shippedOn) {
    const args = { saleDate: card.saleDate, shippedOn: shipped.shippedOn };
    return rejected('SOLD_BEFORE_SHIPPED', 'reasons.cards.beforeShipped', args);
  }
  return { ok: true, card, flags: shipped ? [] : ['SERIAL_NOT_IN_REGISTRY'] };
}

/** One raw card against the per-card rules (normalises first). */
export function evaluateCard(raw: Record<string, unknown>, ctx: CardRuleContext): CardVerdict {
  return checkCard(normaliseCard(raw, ctx.dealerCode), ctx);
}

/**
 * R-CARD-1 PHONE_REUSED over accepted cards in order: a card is flagged when, counting the card
 * itself, the phone's accepted cards already stored in the quarter (all dealers) and the earlier
 * accepted cards of the batch, the phone is on more than PHONE_REUSE_LIMIT cards — the 4th card
 * of a phone in a quarter and every later one. Returns one answer per phone given.
 */
export function phoneReused(phones: ReadonlyArray<string>, storedInQuarter: ReadonlyMap<string, number>): boolean[] {
  const counts = new Map<string, number>();
  return phones.map((phone) => {
    const count = (counts.get(phone) ?? storedInQuarter.get(phone) ?? 0) + 1;
    counts.set(phone, count);
    return count > PHONE_REUSE_LIMIT;
  });
}

/**
 * R-CARD-1 for a whole batch, in request order: checkCard for each card, then
 * - DUPLICATE_SERIAL when the serial appears on an earlier card of the batch, or already has an
 *   accepted card at any dealer (takenSerials; one accepted meanwhile is refused by the
 *   database's unique index at insert time, which also settles two batches racing for a serial);
 * - PHONE_REUSED (phoneReused) over the cards that pass. Should the database then refuse some as
 *   duplicates, the use case recomputes the flag over the cards actually accepted.
 */
export function evaluateBatch(
  normalised: ReadonlyArray<Record<string, unknown>>,
  ctx: CardBatchContext,
): CardVerdict[] {
  const seen = new Set<string>();
  const window = saleWindow(ctx.reportMonth); // the same for every card of the batch
  const verdicts: CardVerdict[] = normalised.map((c) => {
    const v = checkCard(c, ctx, window);
    if (!v.ok) return v;
    if (seen.has(v.card.serial))
      return rejected('DUPLICATE_SERIAL', 'reasons.cards.earlierInBatch', { serial: v.card.serial });
    seen.add(v.card.serial);
    if (ctx.takenSerials.has(v.card.serial)) return rejected('DUPLICATE_SERIAL', ALREADY_ACCEPTED_REF.key);
    return v;
  });
  const passed = verdicts.filter((v): v is Extract<CardVerdict, { ok: true }> => v.ok);
  phoneReused(
    passed.map((v) => v.card.phone),
    ctx.phoneCardsInQuarter,
  ).forEach((reused, i) => {
    if (reused) passed[i].flags.unshift('PHONE_REUSED');
  });
  return verdicts;
}
