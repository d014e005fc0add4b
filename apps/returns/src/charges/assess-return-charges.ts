import type { ReturnChargeKind, ReturnChargePayer, ReturnClass } from '@app/contracts';
import { dec, Dec, formatMoney, MAX_AMOUNT, sumMoney } from '@app/kernel';
import type { FieldError } from '../receipt/receipt-rules';
import { fieldError, fieldErrorOf } from '@app/platform/problem/field-error';

export const RETURN_CHARGE_RULE = 'R-RET-4';

/** A line as closing sees it: its approved class and the quantity the manufacturer's count charges (0 if refused). */
export interface ChargeableLine {
  lineNo: number;
  serial: string;
  returnClass: ReturnClass;
  chargedQuantity: number;
}

/** A refurbishment part used on a line, at the list price in force on the closing date (R-RET-4, DOMAIN §9). */
export interface RefurbishmentPart {
  lineNo: number;
  partNo: string;
  quantity: number;
  listPrice: string;
}

export interface ChargeInput {
  lines: readonly ChargeableLine[];
  /** Carrier bill, dealer → manufacturer. */
  inboundFreight: string;
  /** Carrier bill, manufacturer → dealer. */
  outboundFreight: string;
  parts: readonly RefurbishmentPart[];
}

export interface AssessedCharge {
  ruleId: string;
  kind: ReturnChargeKind;
  payer: ReturnChargePayer;
  amount: string;
  detail: string;
  returnClass: ReturnClass;
  lineNos: number[];
}

export interface ChargeAssessment {
  charges: AssessedCharge[];
  dealerTotal: string;
  manufacturerTotal: string;
  /** The class reported for the whole return: the least favourable to the dealer among its charged lines. */
  returnClass: ReturnClass;
  errors: FieldError[];
}

/** Least favourable to the dealer first. */
const DEALER_BURDEN: readonly ReturnClass[] = ['OUT_OF_WARRANTY', 'IN_WARRANTY', 'BATCH_DEFECT', 'QUALITY', 'DOA'];

/**
 * R-RET-2 "who pays": DOA, QUALITY and BATCH_DEFECT — the manufacturer, all of it; IN_WARRANTY — the
 * dealer's allowance pays the inbound freight and the refurbishment parts, the manufacturer the way back;
 * OUT_OF_WARRANTY — the dealer's allowance pays freight both ways and the parts.
 */
export function payerFor(returnClass: ReturnClass, kind: ReturnChargeKind): ReturnChargePayer {
  switch (returnClass) {
    case 'DOA':
    case 'QUALITY':
    case 'BATCH_DEFECT':
      return 'MANUFACTURER';
    case 'IN_WARRANTY':
      return kind === 'OUTBOUND_FREIGHT' ? 'MANUFACTURER' : 'DEALER_ALLOWANCE';
    case 'OUT_OF_WARRANTY':
      return 'DEALER_ALLOWANCE';
  }
}

/**
 * Splits `total` over the weights in proportion, to the fen, so the parts add up to the total exactly:
 * each share is rounded down, and the fen left over go one each to the largest remainders (ties: earlier first).
 */
export function allocateByWeight(total: string, weights: readonly number[]): Dec[] {
  const sumWeights = weights.reduce((a, b) => a + b, 0);
  if (sumWeights === 0) return weights.map(() => dec(0));
  const fen = dec(total).times(100);
  const exact = weights.map((w) => fen.times(w).dividedBy(sumWeights));
  const floors = exact.map((e) => e.floor());
  let left = fen.minus(sumMoney(floors)).toNumber();
  const order = exact.map((e, i) => ({ i, r: e.minus(floors[i]) })).sort((a, b) => b.r.comparedTo(a.r) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i].plus(1);
    left -= 1;
  }
  return floors.map((f) => f.dividedBy(100));
}

/** The facts of a charge as stored and shown, without anything else the object carries. */
export function chargeFacts(c: AssessedCharge): AssessedCharge {
  return {
    ruleId: c.ruleId,
    kind: c.kind,
    payer: c.payer,
    returnClass: c.returnClass,
    lineNos: c.lineNos,
    amount: c.amount,
    detail: c.detail,
  };
}

const KIND_ORDER: readonly ReturnChargeKind[] = ['INBOUND_FREIGHT', 'OUTBOUND_FREIGHT', 'REFURBISHMENT_PARTS'];
const KIND_LABEL: Record<ReturnChargeKind, string> = {
  INBOUND_FREIGHT: 'inbound freight',
  OUTBOUND_FREIGHT: 'outbound freight',
  REFURBISHMENT_PARTS: 'refurbishment parts',
};

/** KIND_LABEL in the catalogue, for messages answered in the request's language. */
const KIND_KEY: Record<ReturnChargeKind, string> = {
  INBOUND_FREIGHT: 'reasons.returns.kinds.INBOUND_FREIGHT',
  OUTBOUND_FREIGHT: 'reasons.returns.kinds.OUTBOUND_FREIGHT',
  REFURBISHMENT_PARTS: 'reasons.returns.kinds.REFURBISHMENT_PARTS',
};

/** The charges of one kind on the lines of one class, before they are rounded and described. */
interface Bucket {
  kind: ReturnChargeKind;
  returnClass: ReturnClass;
  amount: Dec;
  lineNos: number[];
  parts: string[];
}

/** Each part refurbishes a line of the return that is charged (not refused, R-RET-3). */
function checkParts(input: ChargeInput): FieldError[] {
  const errors: FieldError[] = [];
  input.parts.forEach((p, index) => {
    const line = input.lines.find((l) => l.lineNo === p.lineNo);
    if (!line)
      errors.push(
        fieldError(`parts[${index}].lineNo`, 'R-RET-4', 'validation.fields.lineNotOnReturn', { lineNo: p.lineNo }),
      );
    else if (line.chargedQuantity === 0)
      errors.push(
        fieldError(`parts[${index}].lineNo`, 'R-RET-3', 'validation.fields.lineNotCharged', { lineNo: p.lineNo }),
      );
  });
  return errors;
}

/** Freight allocated to the charged lines by quantity, parts to their line; summed per kind and class. */
function bucketCharges(input: ChargeInput, charged: readonly ChargeableLine[]): Bucket[] {
  const buckets = new Map<string, Bucket>();
  const add = (kind: ReturnChargeKind, line: ChargeableLine, amount: Dec, part?: string) => {
    if (amount.isZero()) return;
    const key = `${kind}|${line.returnClass}`;
    const b = buckets.get(key) ?? { kind, returnClass: line.returnClass, amount: dec(0), lineNos: [], parts: [] };
    b.amount = b.amount.plus(amount);
    if (!b.lineNos.includes(line.lineNo)) b.lineNos.push(line.lineNo);
    if (part) b.parts.push(part);
    buckets.set(key, b);
  };
  const weights = charged.map((l) => l.chargedQuantity);
  const inbound = allocateByWeight(input.inboundFreight, weights);
  const outbound = allocateByWeight(input.outboundFreight, weights);
  charged.forEach((line, i) => {
    add('INBOUND_FREIGHT', line, inbound[i]);
    add('OUTBOUND_FREIGHT', line, outbound[i]);
  });
  for (const p of input.parts) {
    const line = charged.find((l) => l.lineNo === p.lineNo)!;
    const part = `${p.quantity} × ${p.partNo} at ${formatMoney(p.listPrice)}`;
    add('REFURBISHMENT_PARTS', line, dec(p.listPrice).times(p.quantity), part);
  }
  return [...buckets.values()];
}

/** One charge per bucket, in kind order then the dealer's burden, naming its lines and serials. */
function toCharges(buckets: readonly Bucket[], lines: readonly ChargeableLine[]): AssessedCharge[] {
  return [...buckets]
    .sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        DEALER_BURDEN.indexOf(a.returnClass) - DEALER_BURDEN.indexOf(b.returnClass),
    )
    .map((b) => {
      const serials = b.lineNos.map((n) => `${n} (${lines.find((l) => l.lineNo === n)!.serial})`).join(', ');
      const what = b.parts.length > 0 ? `${KIND_LABEL[b.kind]} ${b.parts.join(', ')}` : KIND_LABEL[b.kind];
      return {
        ruleId: RETURN_CHARGE_RULE,
        kind: b.kind,
        payer: payerFor(b.returnClass, b.kind),
        amount: formatMoney(b.amount),
        detail: `${what}; ${b.returnClass} line(s) ${serials}`.slice(0, 500),
        returnClass: b.returnClass,
        lineNos: b.lineNos,
      };
    });
}

/** DOMAIN §9: each charge is one fact settlement stores, so it stays within the largest amount. */
function chargesOverLimit(charges: readonly AssessedCharge[]): FieldError[] {
  const field: Record<ReturnChargeKind, string> = {
    INBOUND_FREIGHT: 'inboundFreight',
    OUTBOUND_FREIGHT: 'outboundFreight',
    REFURBISHMENT_PARTS: 'parts',
  };
  return charges
    .filter((c) => dec(c.amount).gt(MAX_AMOUNT))
    .map((c) =>
      fieldErrorOf(field[c.kind], 'maxAmount', {
        key: 'reasons.returns.chargeOverLimit',
        args: { returnClass: c.returnClass, kind: { key: KIND_KEY[c.kind] }, amount: c.amount, max: MAX_AMOUNT },
      }),
    );
}

/**
 * R-RET-4: at closing, the carrier bill's actual freight both ways and the refurbishment parts at list
 * price are assessed per line and split between manufacturer and dealer's allowance by the line's class.
 * Freight is allocated to the charged lines in proportion to their charged (counted, not refused)
 * quantity; refused lines carry no charge (R-RET-3). Parts belong to the line they refurbished.
 * One charge per kind, payer and class, naming its lines.
 */
export function assessReturnCharges(input: ChargeInput): ChargeAssessment {
  const charged = input.lines.filter((l) => l.chargedQuantity > 0);
  const returnClass =
    DEALER_BURDEN.find((c) => (charged.length > 0 ? charged : input.lines).some((l) => l.returnClass === c)) ??
    'OUT_OF_WARRANTY';
  const refused = (errors: FieldError[]) => ({
    charges: [],
    dealerTotal: '0.00',
    manufacturerTotal: '0.00',
    returnClass,
    errors,
  });
  const errors = checkParts(input);
  if (errors.length > 0) return refused(errors);
  const charges = toCharges(bucketCharges(input, charged), input.lines);
  const overErrors = chargesOverLimit(charges);
  if (overErrors.length > 0) return refused(overErrors);
  const total = (payer: ReturnChargePayer) =>
    formatMoney(sumMoney(charges.filter((c) => c.payer === payer).map((c) => c.amount)));
  return {
    charges,
    dealerTotal: total('DEALER_ALLOWANCE'),
    manufacturerTotal: total('MANUFACTURER'),
    returnClass,
    errors,
  };
}
