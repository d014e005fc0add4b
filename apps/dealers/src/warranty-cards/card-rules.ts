import { addMonths, firstDayOfMonth, isCalendarDate, lastDayOfMonth } from '@app/kernel';

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
  | { ok: true; card: CardInput }
  | { ok: false; code: CardRejectCode; field?: string; reason: string };

/** What the rules need to know beyond the card itself; each lookup is optional until its data exists. */
export interface CardRuleContext {
  dealerCode: string;
  reportMonth: string;
  /** The dealer itself and its registered sub-distributors. */
  outlets: ReadonlySet<string>;
  /** Product catalogue; when absent the model check is not applied. */
  models?: ReadonlySet<string>;
  reportClosed?: boolean;
}

const SERIAL = /^[A-Z0-9][A-Z0-9-]{3,39}$/;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

/** Trims and upper-cases what a dealer's software may send loosely. */
export function normaliseCard(raw: Record<string, unknown>): Record<string, unknown> {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
  return {
    serial: typeof raw.serial === 'string' ? raw.serial.trim().toUpperCase() : raw.serial,
    model: typeof raw.model === 'string' ? raw.model.trim().toUpperCase() : raw.model,
    saleDate: text(raw.saleDate),
    outlet: typeof raw.outlet === 'string' ? raw.outlet.trim().toUpperCase() : raw.outlet,
    consumerName: text(raw.consumerName),
    phone: typeof raw.phone === 'string' ? raw.phone.replace(/\s+/g, '') : raw.phone,
    address: text(raw.address),
  };
}

function invalid(field: string, reason: string): CardVerdict {
  return { ok: false, code: 'INVALID_FIELD', field, reason };
}

/**
 * R-CARD-1: the checks one card can pass or fail on its own, in a fixed order so the
 * same card always gets the same single reason. Duplicates (DUPLICATE_SERIAL) are
 * decided by the database at insert time, where concurrency is resolved.
 */
export function evaluateCard(raw: Record<string, unknown>, ctx: CardRuleContext): CardVerdict {
  if (ctx.reportClosed) return { ok: false, code: 'REPORT_CLOSED', reason: `report ${ctx.reportMonth} is closed` };
  const c = normaliseCard({ outlet: ctx.dealerCode, ...raw });
  if (typeof c.serial !== 'string' || !SERIAL.test(c.serial)) return invalid('serial', 'serial must be 4-40 letters, digits or dashes');
  if (typeof c.model !== 'string' || c.model.length === 0 || c.model.length > 64) return invalid('model', 'model is required');
  if (!isCalendarDate(c.saleDate)) return invalid('saleDate', 'saleDate must be a calendar date YYYY-MM-DD');
  if (typeof c.outlet !== 'string' || c.outlet.length === 0) return invalid('outlet', 'outlet must be a dealer or sub-distributor code');
  if (typeof c.consumerName !== 'string' || c.consumerName.length === 0 || c.consumerName.length > 100) return invalid('consumerName', 'consumerName is required (at most 100 characters)');
  if (typeof c.phone !== 'string' || !(MOBILE.test(c.phone) || LANDLINE.test(c.phone))) return invalid('phone', 'phone must be a mainland mobile or landline number');
  if (typeof c.address !== 'string' || c.address.length === 0 || c.address.length > 300) return invalid('address', 'address is required (at most 300 characters)');

  const card = c as unknown as CardInput;
  if (ctx.models && !ctx.models.has(card.model)) return { ok: false, code: 'UNKNOWN_MODEL', reason: `model ${card.model} is not in the product catalogue` };
  if (!ctx.outlets.has(card.outlet)) return { ok: false, code: 'UNKNOWN_OUTLET', reason: `outlet ${card.outlet} is neither the dealer nor one of its sub-distributors` };
  const earliest = firstDayOfMonth(addMonths(ctx.reportMonth, -1));
  const latest = lastDayOfMonth(ctx.reportMonth);
  if (card.saleDate < earliest || card.saleDate > latest) {
    return { ok: false, code: 'SALE_DATE_OUT_OF_WINDOW', reason: `sale date must be between ${earliest} and ${latest}` };
  }
  return { ok: true, card };
}
