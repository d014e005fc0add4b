import { english, MessageRef } from '@app/platform/i18n/catalogue';
import { fieldError, withMessageRef } from '@app/platform/problem/field-error';

/** Statuses of a return application. */
export const RETURN_STATUSES = ['APPLIED', 'APPROVED', 'REJECTED', 'RECEIVED', 'CLOSED'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const REFUSAL_REASONS = ['INCOMPLETE', 'UNTIDY', 'MISSING_PARTS'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export type GoodsAdmission =
  { admit: true } | { admit: false; code: 'NO_APPROVED_APPLICATION' | 'ALREADY_RECEIVED'; reason: string };

/**
 * R-RET-1: goods are received against an APPROVED application only. Goods arriving with no
 * application, or against one not (or not yet) approved, are refused and the loss is the dealer's;
 * goods of an application already received cannot be received twice.
 */
export function admitGoods(status: ReturnStatus | null): GoodsAdmission {
  if (status === 'APPROVED') return { admit: true };
  // `reason` is English; the message it is written from is attached (messageRefOf) for the problem's language.
  const refused = (code: 'NO_APPROVED_APPLICATION' | 'ALREADY_RECEIVED', why: MessageRef): GoodsAdmission =>
    withMessageRef({ admit: false, code, reason: english(why.key, why.args) }, why);
  if (status === 'RECEIVED' || status === 'CLOSED')
    return refused('ALREADY_RECEIVED', { key: 'reasons.returns.alreadyReceived' });
  const what =
    status === null
      ? 'reasons.returns.sentWith.none'
      : status === 'APPLIED'
        ? 'reasons.returns.sentWith.applied'
        : 'reasons.returns.sentWith.rejected';
  return refused('NO_APPROVED_APPLICATION', { key: 'reasons.returns.goodsRefused', args: { what: { key: what } } });
}

export interface DeclaredLine {
  lineNo: number;
  quantity: number;
}

export interface LineCount {
  lineNo: number;
  countedQuantity: number;
  refusedFor?: RefusalReason | null;
  refusalNote?: string | null;
}

export interface ReceivedLine {
  lineNo: number;
  declaredQuantity: number;
  countedQuantity: number;
  refusedFor: RefusalReason | null;
  refusalNote: string | null;
  /** What the charges are assessed on: the manufacturer's count, 0 for a refused line (R-RET-3). */
  chargedQuantity: number;
  /** Counted − declared, so a discrepancy with the dealer's list is visible. */
  discrepancy: number;
}

/**
 * R-RET-3: after-sales counts what arrived, line by line; a line may be refused as incomplete,
 * untidy or missing parts (with a reason); where the dealer's list is missing or unclear the
 * manufacturer's count stands — the counted quantity is what is charged, whatever was declared.
 * Every declared line must be counted exactly once.
 */
export function assessReceipt(
  declared: readonly DeclaredLine[],
  counts: readonly LineCount[],
): { lines: ReceivedLine[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const byLine = new Map<number, { count: LineCount; index: number }>();
  counts.forEach((count, index) => {
    if (!declared.some((d) => d.lineNo === count.lineNo)) {
      errors.push(
        fieldError(`lines[${index}].lineNo`, 'R-RET-3', 'validation.fields.lineNotOnReturn', { lineNo: count.lineNo }),
      );
    } else if (byLine.has(count.lineNo)) {
      errors.push(
        fieldError(`lines[${index}].lineNo`, 'R-RET-3', 'validation.fields.lineCountedTwice', { lineNo: count.lineNo }),
      );
    } else {
      byLine.set(count.lineNo, { count, index });
    }
    if (!count.refusedFor && count.refusalNote) {
      errors.push(fieldError(`lines[${index}].refusedFor`, 'R-RET-3', 'validation.fields.refusalNeedsReason'));
    }
  });
  for (const d of declared) {
    if (!byLine.has(d.lineNo))
      errors.push(fieldError('lines', 'R-RET-3', 'validation.fields.lineNotCounted', { lineNo: d.lineNo }));
  }
  if (errors.length > 0) return { lines: [], errors };
  const lines = declared.map((d) => {
    const { count } = byLine.get(d.lineNo)!;
    const refusedFor = count.refusedFor ?? null;
    return {
      lineNo: d.lineNo,
      declaredQuantity: d.quantity,
      countedQuantity: count.countedQuantity,
      refusedFor,
      refusalNote: count.refusalNote ?? null,
      chargedQuantity: refusedFor ? 0 : count.countedQuantity,
      discrepancy: count.countedQuantity - d.quantity,
    };
  });
  return { lines, errors };
}
