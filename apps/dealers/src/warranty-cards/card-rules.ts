import { DEALER_CODE_REGEX, MODEL_CODE_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import { addMonths, firstDayOfMonth, isDateWithinLimits, lastDayOfMonth } from '@app/kernel';

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
export const ALREADY_ACCEPTED = 'the serial already has an accepted card';

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

function invalid(field: string, reason: string): CardVerdict {
  return { ok: false, code: 'INVALID_FIELD', field, reason };
}

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
    reason: 'serial must be 4-40 letters, digits or dashes',
  },
  {
    field: 'model',
    rule: 'matches',
    valid: (v) => typeof v === 'string' && MODEL_CODE_REGEX.test(v),
    reason: `model must be ${IDENTIFIER_TEXT.modelCode}`,
  },
  {
    field: 'saleDate',
    rule: 'calendarDate',
    valid: isDateWithinLimits,
    reason: 'saleDate must be a calendar date YYYY-MM-DD',
  },
  {
    field: 'outlet',
    rule: 'matches',
    valid: (v) => typeof v === 'string' && DEALER_CODE_REGEX.test(v),
    reason: 'outlet must be a dealer or sub-distributor code',
  },
  {
    field: 'consumerName',
    rule: 'requiredText',
    valid: (v) => isText(v, 100),
    reason: 'consumerName is required (at most 100 characters)',
  },
  {
    field: 'phone',
    rule: 'phone',
    valid: (v) => typeof v === 'string' && (MOBILE.test(v) || LANDLINE.test(v)),
    reason: 'phone must be a mainland mobile or landline number',
  },
  {
    field: 'address',
    rule: 'requiredText',
    valid: (v) => isText(v, 300),
    reason: 'address is required (at most 300 characters)',
  },
];

/** Every field of a normalised card that INVALID_FIELD would name (a file upload lists them all, R-REP-3). */
export function invalidCardFields(c: Record<string, unknown>): Array<{ field: string; rule: string; reason: string }> {
  return FIELD_CHECKS.filter((check) => !check.valid(c[check.field])).map(({ field, rule, reason }) => ({
    field,
    rule,
    reason,
  }));
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
  if (ctx.reportClosed)
    return { ok: false, code: 'REPORT_CLOSED', reason: `report ${ctx.reportMonth} is closed: its quarter is approved` };
  const firstInvalid = FIELD_CHECKS.find((check) => !check.valid(c[check.field]));
  if (firstInvalid) return invalid(firstInvalid.field, firstInvalid.reason);

  const card = c as unknown as CardInput;
  if (!ctx.models.has(card.model))
    return { ok: false, code: 'UNKNOWN_MODEL', reason: `model ${card.model} is not in the product catalogue` };
  if (!ctx.outlets.has(card.outlet))
    return {
      ok: false,
      code: 'UNKNOWN_OUTLET',
      reason: `outlet ${card.outlet} is neither the dealer nor one of its sub-distributors`,
    };
  const { earliest, latest } = window;
  if (card.saleDate < earliest || card.saleDate > latest) {
    return {
      ok: false,
      code: 'SALE_DATE_OUT_OF_WINDOW',
      reason: `sale date must be between ${earliest} and ${latest}`,
    };
  }
  const shipped = ctx.shipments.get(card.serial);
  if (shipped && shipped.dealerCode !== ctx.dealerCode) {
    return { ok: false, code: 'NOT_SHIPPED_TO_DEALER', reason: `serial ${card.serial} was shipped to another dealer` };
  }
  if (shipped && card.saleDate < shipped.shippedOn) {
    return {
      ok: false,
      code: 'SOLD_BEFORE_SHIPPED',
      reason: `sale date ${card.saleDate} is before the ship date ${shipped.shippedOn}`,
    };
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
      return { ok: false, code: 'DUPLICATE_SERIAL', reason: `serial ${v.card.serial} appears earlier in this batch` };
    seen.add(v.card.serial);
    if (ctx.takenSerials.has(v.card.serial)) return { ok: false, code: 'DUPLICATE_SERIAL', reason: ALREADY_ACCEPTED };
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
