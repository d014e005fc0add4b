import { PART_NO_REGEX } from '@app/contracts';
import { formatMoney, isDateWithinLimits, isMoneyString } from '@app/kernel';
import { fieldErrorOf, messageRefOf } from '@app/platform/problem/field-error';

/** A field error as the API reports it (same shape as the platform's problem `errors`). */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export interface PriceVersion {
  partNo: string;
  name: string;
  listPrice: string;
  costPrice: string;
  effectiveFrom: string;
}

export const PART_NO_PATTERN = PART_NO_REGEX;

/** R-PRT-1: the price in force on a date (kept here for the callers of these rules). */
export { priceInForce } from '@app/kernel';

/** Whether a new version may be stored beside the existing ones: never rewrite one with other values. */
export function versionConflict(
  existing: PriceVersion | undefined,
  incoming: PriceVersion,
): 'NEW' | 'SAME' | 'CONFLICT' {
  if (!existing) return 'NEW';
  const same =
    existing.name === incoming.name &&
    formatMoney(existing.listPrice) === formatMoney(incoming.listPrice) &&
    formatMoney(existing.costPrice) === formatMoney(incoming.costPrice);
  return same ? 'SAME' : 'CONFLICT';
}

/**
 * Checks one price row (from PUT, a JSON import or a CSV import); `prefix` is put before each field name
 * (e.g. `rows[3].`). Returns the canonical row (money with two places) or the field errors.
 */
export function checkPriceRow(
  raw: Record<string, unknown>,
  prefix = '',
  withPartNo = true,
): { row?: PriceVersion; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : raw[k]);
  const partNo = str('partNo');
  const name = str('name');
  // Amounts are taken as written: a decimal string, no padding (a CSV reader trims its cells itself).
  const listPrice = raw.listPrice;
  const costPrice = raw.costPrice;
  const effectiveFrom = str('effectiveFrom');
  if (withPartNo && (typeof partNo !== 'string' || !PART_NO_PATTERN.test(partNo))) {
    errors.push(fieldErrorOf(`${prefix}partNo`, 'partNo', { key: 'reasons.priceList.partNo' }));
  }
  if (typeof name !== 'string' || name.length < 1 || name.length > 200) {
    errors.push(fieldErrorOf(`${prefix}name`, 'length', { key: 'reasons.priceList.name' }));
  }
  for (const [key, value] of [
    ['listPrice', listPrice],
    ['costPrice', costPrice],
  ] as const) {
    if (!isMoneyString(value) || (value as string).startsWith('-')) {
      errors.push(fieldErrorOf(`${prefix}${key}`, 'money', { key: 'reasons.priceList.money', args: { key } }));
    }
  }
  if (!isDateWithinLimits(effectiveFrom)) {
    errors.push(fieldErrorOf(`${prefix}effectiveFrom`, 'calendarDate', { key: 'reasons.priceList.effectiveFrom' }));
  }
  if (errors.length) return { errors };
  return {
    errors,
    row: {
      partNo: partNo as string,
      name: name as string,
      effectiveFrom: effectiveFrom as string,
      listPrice: formatMoney(listPrice as string),
      costPrice: formatMoney(costPrice as string),
    },
  };
}

/**
 * A bulk import is all-or-nothing (issue 4: never a partial write on bad input): every row is checked
 * first and every bad row is reported with its 1-based row number; rows repeating a (partNo, effectiveFrom)
 * within the file are refused too.
 */
export function checkImportRows(rows: readonly Record<string, unknown>[]): {
  rows: PriceVersion[];
  errors: FieldError[];
} {
  const errors: FieldError[] = [];
  const good: PriceVersion[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const n = i + 1;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push(fieldErrorOf(`rows[${n}]`, 'object', { key: 'reasons.priceList.rowObject', args: { row: n } }));
      return;
    }
    const { row, errors: rowErrors } = checkPriceRow(raw, `rows[${n}].`);
    for (const e of rowErrors) {
      const message = messageRefOf(e) ?? { key: e.message };
      errors.push(fieldErrorOf(e.field, e.rule, { key: 'reasons.priceList.inRow', args: { row: n, message } }));
    }
    if (!row) return;
    const key = `${row.partNo}@${row.effectiveFrom}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const args = { row: n, partNo: row.partNo, effectiveFrom: row.effectiveFrom, first };
      errors.push(fieldErrorOf(`rows[${n}].effectiveFrom`, 'unique', { key: 'reasons.priceList.repeats', args }));
      return;
    }
    seen.set(key, n);
    good.push(row);
  });
  return { rows: errors.length ? [] : good, errors };
}
