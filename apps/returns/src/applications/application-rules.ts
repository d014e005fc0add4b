import type { FieldError } from '../receipt/receipt-rules';
import { DocumentDateProblem } from './returns.problems';
import type { MessageArgs } from '@app/platform/i18n/catalogue';
import { fieldError, fieldErrorOf } from '@app/platform/problem/field-error';

export interface AppliedLine {
  serial: string;
  receiptDate: string;
  saleDate?: string | null;
}

/**
 * R-RET-1: the dates of the detailed list: neither the dealer's receipt nor the consumer sale after
 * the application date, no sale before the receipt; each serial once.
 */
export function checkAppliedLines(lines: readonly AppliedLine[], applicationDate: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (l.receiptDate > applicationDate)
      errors.push(
        fieldError(`lines[${i}].receiptDate`, 'R-RET-1', 'validation.fields.receiptAfterApplication', {
          applicationDate,
        }),
      );
    if (l.saleDate) {
      if (l.saleDate > applicationDate)
        errors.push(
          fieldError(`lines[${i}].saleDate`, 'R-RET-1', 'validation.fields.saleAfterApplication', { applicationDate }),
        );
      if (l.saleDate < l.receiptDate)
        errors.push(fieldError(`lines[${i}].saleDate`, 'R-RET-1', 'validation.fields.saleBeforeReceipt'));
    }
    if (seen.has(l.serial))
      errors.push(fieldError(`lines[${i}].serial`, 'unique', 'validation.fields.serialTwice', { serial: l.serial }));
    seen.add(l.serial);
  });
  return errors;
}

/** A step of a return dated by its document: the date given (undefined: today) and the step it follows. */
/** The steps of a return that carry a document date, and how a message names them. */
const STEPS = {
  application: 'reasons.steps.application',
  receipt: 'reasons.steps.receipt',
  closing: 'reasons.steps.closing',
} as const;

export interface DatedStep {
  field: 'applicationDate' | 'receivedOn' | 'closedOn';
  step: keyof typeof STEPS;
  given: string | undefined;
  follows?: { field: string; step: keyof typeof STEPS; date: string };
}

/**
 * R-SET-10 (DOMAIN §9): a return's application, receipt and closing dates are the dates on the
 * documents, today in Asia/Shanghai when not given. A date in the future is refused, and so is a
 * step dated before the step it follows (receipt before application, closing before receipt).
 */
export function documentDate(s: DatedStep, today: string): string {
  const date = s.given ?? today;
  const refused = (key: string, args: MessageArgs) =>
    new DocumentDateProblem(fieldErrorOf(s.field, 'R-SET-10', { key, args: { field: s.field, date, ...args } }));
  if (date > today) throw refused('reasons.documentDate.future', { today });
  if (s.follows && date < s.follows.date) {
    const f = s.follows;
    throw refused('reasons.documentDate.beforeStep', {
      earlierField: f.field,
      earlierDate: f.date,
      step: { key: STEPS[s.step] },
      earlierStep: { key: STEPS[f.step] },
    });
  }
  return date;
}
