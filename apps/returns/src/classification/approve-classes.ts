import type { ReturnClass } from '@app/contracts';
import type { FieldError } from '../receipt/receipt-rules';
import type { LineClassification } from './classify-return-line';
import { fieldError } from '@app/platform/problem/field-error';

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
      errors.push({
        field: pick ? `lines[${pick.index}].returnClass` : 'returnClass',
        rule: 'R-RET-2',
        message: `line ${line.lineNo} (${line.serial}) cannot be ${chosen}; its dates allow ${line.classification.allowedClasses.join(', ')}: ${line.classification.reason}`,
      });
    }
  }
  return { classes, errors };
}
