import type { FieldError } from '../receipt/receipt-rules';

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
      errors.push({
        field: `lines[${i}].receiptDate`,
        rule: 'R-RET-1',
        message: `receiptDate must not be after the application date ${applicationDate}`,
      });
    if (l.saleDate) {
      if (l.saleDate > applicationDate)
        errors.push({
          field: `lines[${i}].saleDate`,
          rule: 'R-RET-1',
          message: `saleDate must not be after the application date ${applicationDate}`,
        });
      if (l.saleDate < l.receiptDate)
        errors.push({
          field: `lines[${i}].saleDate`,
          rule: 'R-RET-1',
          message: "saleDate must not be before the dealer's receiptDate",
        });
    }
    if (seen.has(l.serial))
      errors.push({
        field: `lines[${i}].serial`,
        rule: 'unique',
        message: `serial ${l.serial} appears twice in this application`,
      });
    seen.add(l.serial);
  });
  return errors;
}
