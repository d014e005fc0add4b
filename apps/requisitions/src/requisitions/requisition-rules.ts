import type { PartsCharging, PartsChargingTerms, RequisitionPurpose } from '@app/contracts';
import { dec, formatMoney, isMoneyString, MAX_AMOUNT, roundMoney, sumMoney } from '@app/kernel';
import type { MessageArgs } from '@app/platform/i18n/catalogue';
import { FieldError, priceInForce, PriceVersion } from '../price-list/price-rules';
import { fieldError, fieldErrorOf } from '@app/platform/problem/field-error';

export const MAX_REQUISITION_LINES = 200;

export interface FiledLine {
  partNo: string;
  quantity: number;
  purpose: RequisitionPurpose;
  repairTickets?: string[];
}

/** Filing rules beyond field syntax: a WARRANTY line names its repair ticket(s), a STOCK line names none. */
export function checkFiledLines(lines: readonly FiledLine[]): FieldError[] {
  const errors: FieldError[] = [];
  lines.forEach((l, i) => {
    const tickets = l.repairTickets ?? [];
    if (l.purpose === 'WARRANTY' && tickets.length === 0) {
      errors.push(fieldError(`lines[${i}].repairTickets`, 'warrantyTickets', 'validation.fields.warrantyTickets'));
    }
    if (l.purpose === 'STOCK' && tickets.length > 0) {
      errors.push(fieldError(`lines[${i}].repairTickets`, 'stockTickets', 'validation.fields.stockTickets'));
    }
  });
  return errors;
}

/** A date on a document as the user gave it (undefined: today), and the step it follows, if any. */
/** The steps of a requisition that carry a document date, and how a message names them. */
const STEPS = { filing: 'reasons.steps.filing', approval: 'reasons.steps.approval' } as const;

export interface DocumentDate {
  field: string;
  step: keyof typeof STEPS;
  given: string | undefined;
  follows?: { field: string; step: keyof typeof STEPS; date: string };
}

/**
 * R-SET-10 (DOMAIN §9): a requisition's filing and approval dates are the dates on the documents,
 * today in Asia/Shanghai when not given; neither may be in the future, nor the approval before the filing.
 */
export function documentDate(d: DocumentDate, today: string): { date: string; errors: FieldError[] } {
  const date = d.given ?? today;
  const refuse = (key: string, args: MessageArgs) => ({
    date,
    errors: [fieldErrorOf(d.field, 'R-SET-10', { key, args: { field: d.field, date, ...args } })],
  });
  if (date > today) return refuse('reasons.documentDate.future', { today });
  if (d.follows && date < d.follows.date) {
    const f = d.follows;
    return refuse('reasons.documentDate.beforeStep', {
      earlierField: f.field,
      earlierDate: f.date,
      step: { key: STEPS[d.step] },
      earlierStep: { key: STEPS[f.step] },
    });
  }
  return { date, errors: [] };
}

/** R-PRT-2: an approved line is charged per the agreement's partsCharging of its purpose. */
export function chargeTarget(purpose: RequisitionPurpose, partsCharging: PartsChargingTerms): PartsCharging {
  return purpose === 'WARRANTY' ? partsCharging.warranty : partsCharging.stock;
}

export interface LineToValue {
  lineId: string;
  partNo: string;
  quantity: number;
  purpose: RequisitionPurpose;
}

export interface ValuedLine extends LineToValue {
  partName: string;
  listPrice: string;
  costPrice: string;
  /** quantity × listPrice, rounded once (R-MNY-1). */
  amount: string;
  chargeTo: PartsCharging;
}

/**
 * R-PRT-1 + R-PRT-2: values lines at the prices in force on `date` and names each line's charge target.
 * Parts without a price on that date are returned in `missing` (the caller refuses or shows them unvalued).
 */
export function valueLines(
  lines: readonly LineToValue[],
  priceVersions: ReadonlyMap<string, readonly PriceVersion[]>,
  date: string,
  partsCharging: PartsChargingTerms,
): { lines: ValuedLine[]; missing: string[] } {
  const valued: ValuedLine[] = [];
  const missing: string[] = [];
  for (const line of lines) {
    const price = priceInForce(priceVersions.get(line.partNo) ?? [], date);
    if (!price) {
      if (!missing.includes(line.partNo)) missing.push(line.partNo);
      continue;
    }
    valued.push({
      ...line,
      partName: price.name,
      listPrice: formatMoney(price.listPrice),
      costPrice: formatMoney(price.costPrice),
      amount: formatMoney(roundMoney(dec(price.listPrice).times(line.quantity))),
      chargeTo: chargeTarget(line.purpose, partsCharging),
    });
  }
  return { lines: valued, missing };
}

/**
 * DOMAIN §9: an approved line is one fact, so its amount at list price, and at cost price (what
 * R-PRT-4 invoices for old parts never returned), stays within 9,999,999,999.99. `lineNos` gives
 * the requisition's line number of each line id for the error's field.
 */
export function linesOverAmountLimit(lines: readonly ValuedLine[], lineNos: ReadonlyMap<string, number>): FieldError[] {
  return lines.flatMap((l) => {
    const atCost = roundMoney(dec(l.costPrice).times(l.quantity));
    if (dec(l.amount).lte(MAX_AMOUNT) && atCost.lte(MAX_AMOUNT)) return [];
    const index = (lineNos.get(l.lineId) ?? 1) - 1;
    const { partNo, quantity, listPrice, costPrice } = l;
    const args = { line: index + 1, partNo, quantity, listPrice, costPrice, max: MAX_AMOUNT };
    return [fieldErrorOf(`lines[${index}].quantity`, 'maxAmount', { key: 'reasons.requisitions.lineOverLimit', args })];
  });
}

export interface ChargeSummary {
  total: string;
  toAllowance: string;
  free: string;
  invoicedParts: string;
  /** R-PRT-3: always invoiced to the dealer; null when not urgent. */
  urgentFreightDifference: string | null;
  /** INVOICE parts + urgent freight: billed to the dealer, outside the fund balance. */
  invoicedToDealer: string;
}

/** R-PRT-2 / R-PRT-3: totals per charge target; totals are sums of the rounded lines (R-MNY-1). */
export function summariseCharges(
  lines: readonly Pick<ValuedLine, 'amount' | 'chargeTo'>[],
  urgentFreightDifference: string | null,
): ChargeSummary {
  const sumOf = (target: PartsCharging) => sumMoney(lines.filter((l) => l.chargeTo === target).map((l) => l.amount));
  const invoicedParts = sumOf('INVOICE');
  return {
    total: formatMoney(sumMoney(lines.map((l) => l.amount))),
    toAllowance: formatMoney(sumOf('ALLOWANCE')),
    free: formatMoney(sumOf('FREE')),
    invoicedParts: formatMoney(invoicedParts),
    urgentFreightDifference: urgentFreightDifference === null ? null : formatMoney(urgentFreightDifference),
    invoicedToDealer: formatMoney(invoicedParts.plus(urgentFreightDifference ?? 0)),
  };
}

export interface LineDecision {
  lineId: string;
  quantity: number;
  reason?: string;
}

export interface ApprovalPlan {
  /** lineId → approved quantity (0 = cut) and the reason when less than requested. */
  lines: Map<string, { approvedQuantity: number; cutReason: string | null }>;
  urgentFreightDifference: string | null;
}

type PlannedLines = ApprovalPlan['lines'];

/**
 * The lines named in the decision: each a line of the requisition, named once, approved for 0 up to
 * the quantity requested, with a reason when less. Lines not named stay approved in full.
 */
function decideLines(
  requested: readonly { lineId: string; quantity: number }[],
  decisions: readonly LineDecision[],
): { lines: PlannedLines; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const byId = new Map(requested.map((l) => [l.lineId, l]));
  const lines: PlannedLines = new Map(
    requested.map((l) => [l.lineId, { approvedQuantity: l.quantity, cutReason: null }]),
  );
  const named = new Set<string>();
  decisions.forEach((d, i) => {
    const line = byId.get(d.lineId);
    if (!line) {
      errors.push(
        fieldError(`lines[${i}].lineId`, 'lineOfRequisition', 'validation.fields.notALine', { lineId: d.lineId }),
      );
      return;
    }
    if (named.has(d.lineId)) {
      errors.push(fieldError(`lines[${i}].lineId`, 'unique', 'validation.fields.lineNamedTwice', { lineId: d.lineId }));
      return;
    }
    named.add(d.lineId);
    if (!Number.isInteger(d.quantity) || d.quantity < 0 || d.quantity > line.quantity) {
      errors.push(
        fieldError(`lines[${i}].quantity`, 'approvedQuantity', 'validation.fields.approvedQuantity', {
          requested: line.quantity,
        }),
      );
      return;
    }
    const reason = d.reason?.trim() ?? '';
    if (d.quantity < line.quantity && reason.length === 0) {
      errors.push(fieldError(`lines[${i}].reason`, 'cutReason', 'validation.fields.cutReason'));
      return;
    }
    lines.set(d.lineId, { approvedQuantity: d.quantity, cutReason: d.quantity < line.quantity ? reason : null });
  });
  return { lines, errors };
}

/** R-PRT-3: an urgent requisition needs the freight difference (0.00 allowed), a normal one must not carry one. */
function checkFreightDifference(urgent: boolean, urgentFreightDifference: string | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (urgent && urgentFreightDifference === undefined) {
    errors.push(fieldError('urgentFreightDifference', 'R-PRT-3', 'validation.fields.urgentNeedsFreight'));
  }
  if (!urgent && urgentFreightDifference !== undefined) {
    errors.push(fieldError('urgentFreightDifference', 'R-PRT-3', 'validation.fields.freightOnlyUrgent'));
  }
  if (
    urgentFreightDifference !== undefined &&
    (!isMoneyString(urgentFreightDifference) || urgentFreightDifference.startsWith('-'))
  ) {
    errors.push(fieldError('urgentFreightDifference', 'money', 'validation.fields.nonNegativeMoney'));
  }
  return errors;
}

/**
 * The approval decision. Lines not named are approved in full; a named line may be approved with a
 * smaller quantity or cut (0), and then needs a reason. At least one part must be approved (a requisition
 * with nothing approved is not approved). R-PRT-3: an urgent requisition needs the freight difference
 * (0.00 allowed), a normal one must not carry one.
 */
export function planApproval(
  requested: readonly { lineId: string; quantity: number }[],
  decisions: readonly LineDecision[] | undefined,
  urgent: boolean,
  urgentFreightDifference: string | undefined,
): { plan?: ApprovalPlan; errors: FieldError[] } {
  const decided = decideLines(requested, decisions ?? []);
  const errors = [...decided.errors, ...checkFreightDifference(urgent, urgentFreightDifference)];
  if (errors.length === 0 && [...decided.lines.values()].every((l) => l.approvedQuantity === 0)) {
    errors.push(fieldError('lines', 'nothingApproved', 'validation.fields.nothingApproved'));
  }
  if (errors.length) return { errors };
  return {
    plan: {
      lines: decided.lines,
      urgentFreightDifference: urgentFreightDifference === undefined ? null : formatMoney(urgentFreightDifference),
    },
    errors,
  };
}
