import type { ReturnClass } from '@app/contracts';
import type { FieldError } from '../receipt/receipt-rules';
import type { LineClassification } from './classify-return-line';
import { fieldError, fieldErrorOf } from '@app/platform/problem/field-error';

export interface ApprovalRequest {
  /** One class for every line not listed in `lines`. */
  returnClass?: ReturnClass;
  lines?: ReadonlyArray<{ lineNo: number; returnClass: ReturnClass }>;
}

export interface ClassifiedLine {
  lineNo: number;
  serial: string;
  classification: LineClassification;
}

/**
 * R-RET-2: the class each line is approved with — the approver's pick for the line, else the pick for
 * the whole return, else the computed class — refused (with the field named) when the line's dates and
 * flags do not allow it. BATCH_DEFECT is allowed only where classification found a declared batch.
 */
export function approveClasses(
  lines: readonly ClassifiedLine[],
  request: ApprovalRequest,
): { classes: Map<number, ReturnClass>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const picks = new Map<number, { cls: ReturnClass; index: number }>();
  (request.lines ?? []).forEach((p, index) => {
    if (!lines.some((l) => l.lineNo === p.lineNo))
      errors.push(
        fieldError(`lines[${index}].lineNo`, 'R-RET-2', 'validation.fields.lineNotOnReturn', { lineNo: p.lineNo }),
      );
    else if (picks.has(p.lineNo))
      errors.push(
        fieldError(`lines[${index}].lineNo`, 'R-RET-2', 'validation.fields.lineGivenTwice', { lineNo: p.lineNo }),
      );
    else picks.set(p.lineNo, { cls: p.returnClass, index });
  });
  const classes = new Map<number, ReturnClass>();
  for (const line of lines) {
    const pick = picks.get(line.lineNo);
    const chosen = pick?.cls ?? request.returnClass ?? line.classification.computedClass;
    if (line.classification.allowedClasses.includes(chosen)) {
      classes.set(line.lineNo, chosen);
    } else {
      const { allowedClasses, reason } = line.classification;
      // The classification's reason is stored with the line in English (R-RET-2 notes).
      const args = { lineNo: line.lineNo, serial: line.serial, chosen, allowed: allowedClasses.join(', '), reason };
      const field = pick ? `lines[${pick.index}].returnClass` : 'returnClass';
      errors.push(fieldErrorOf(field, 'R-RET-2', { key: 'reasons.returns.classNotAllowed', args }));
    }
  }
  return { classes, errors };
}
