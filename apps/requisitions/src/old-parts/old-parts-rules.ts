import { addDays, dec, formatMoney, roundMoney } from '@app/kernel';
import type { RequisitionPurpose } from '@app/contracts';
import type { FieldError } from '../price-list/price-rules';
import { fieldError, fieldErrorOf } from '@app/platform/problem/field-error';

/**
 * R-PRT-4: old parts of the WARRANTY lines are owed back within oldPartReturnDays of shipment;
 * null when the shipment approves no WARRANTY part.
 */
export function oldPartsDueOn(
  shippedOn: string,
  oldPartReturnDays: number,
  lines: readonly { purpose: RequisitionPurpose; approvedQuantity: number }[],
): string | null {
  return lines.some((l) => l.purpose === 'WARRANTY' && l.approvedQuantity > 0)
    ? addDays(shippedOn, oldPartReturnDays)
    : null;
}

export interface OldPartLineState {
  purpose: RequisitionPurpose;
  approvedQuantity: number;
  received: number;
  invoiced: boolean;
}

/** Old parts still owed on a line (0 for STOCK lines and once invoiced). */
export function oldPartsOutstanding(line: OldPartLineState): number {
  if (line.purpose !== 'WARRANTY' || line.invoiced) return 0;
  return Math.max(0, line.approvedQuantity - line.received);
}

/**
 * R-PRT-4: what the sweep invoices on `today` (Asia/Shanghai date): the outstanding quantity once the
 * due date has passed (the due date itself is still in time), at the line's cost price, rounded once.
 */
export function oldPartsInvoiceFor(
  line: OldPartLineState & { costPrice: string },
  dueOn: string | null,
  today: string,
): { quantity: number; amount: string } | null {
  if (dueOn === null || today <= dueOn) return null;
  const quantity = oldPartsOutstanding(line);
  if (quantity === 0) return null;
  return { quantity, amount: formatMoney(roundMoney(dec(line.costPrice).times(quantity))) };
}

/** R-PRT-4: a receipt of old parts: partial receipts allowed, never more than still owed, never after invoicing. */
export function checkOldPartReceipt(line: OldPartLineState, quantity: number, field: string): FieldError | null {
  if (line.purpose !== 'WARRANTY') return fieldError(field, 'R-PRT-4', 'validation.fields.oldPartsWarrantyOnly');
  if (line.invoiced) return fieldError(field, 'R-PRT-4', 'validation.fields.oldPartsInvoiced');
  const owed = oldPartsOutstanding(line);
  if (quantity > owed) return fieldError(field, 'R-PRT-4', 'validation.fields.oldPartsOwed', { owed });
  return null;
}

/**
 * R-PRT-4: a receipt naming lines of the requisition, each once, each within what it still owes.
 * `lines` are the requisition's lines with the old parts received and whether they were invoiced.
 */
export function checkOldPartReceipts(
  lines: ReadonlyArray<OldPartLineState & { lineId: string }>,
  entries: ReadonlyArray<{ lineId: string; quantity: number }>,
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const line = lines.find((l) => l.lineId === entry.lineId);
    if (!line)
      return void errors.push(
        fieldError(`lines[${i}].lineId`, 'lineOfRequisition', 'validation.fields.notALine', { lineId: entry.lineId }),
      );
    if (seen.has(entry.lineId))
      return void errors.push(fieldErrorOf(`lines[${i}].lineId`, 'unique', { key: 'reasons.oldParts.namedTwice' }));
    seen.add(entry.lineId);
    const problem = checkOldPartReceipt(line, entry.quantity, `lines[${i}].quantity`);
    if (problem) errors.push(problem);
  });
  return errors;
}
