import { DEALER_CODE_REGEX, REFERENCE_REGEX as REFERENCE } from '@app/contracts';
import { formatMoney, isDateWithinLimits, isMoneyString, isQuarterWithinLimits, monthOfDate } from '@app/kernel';
import { fieldError } from '@app/platform/problem/field-error';
import { forbiddenProperty } from '@app/platform/problem/list-field';

/** The three finance inputs of DOMAIN §6, each idempotent on its external document reference. */
export type FinanceInputKind = 'collection' | 'purchase' | 'breach';

export interface FinanceRowError {
  field: string;
  rule: string;
  message: string;
}

/** A validated, normalised row (amounts with two places, text trimmed). */
export interface FinanceInputRow {
  reference: string;
  dealerCode: string;
  /** valueDate (collection), invoiceDate (purchase) or quarter (breach). */
  period: string;
  amount: string | null;
  note: string | null;
}

export const FINANCE_INPUTS: Record<
  FinanceInputKind,
  { periodField: 'valueDate' | 'invoiceDate' | 'quarter'; textField: 'note' | 'reason'; columns: string[] }
> = {
  collection: {
    periodField: 'valueDate',
    textField: 'note',
    columns: ['reference', 'dealerCode', 'valueDate', 'amount', 'note'],
  },
  purchase: {
    periodField: 'invoiceDate',
    textField: 'note',
    columns: ['reference', 'dealerCode', 'invoiceDate', 'amount', 'note'],
  },
  breach: { periodField: 'quarter', textField: 'reason', columns: ['reference', 'dealerCode', 'quarter', 'reason'] },
};

type RawRow = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

/**
 * Validates one row of a finance input. `prefix` names the row in the errors ("rows[3].amount").
 * Pure: the caller checks that the dealer is known.
 */
export function validateFinanceRow(
  kind: FinanceInputKind,
  raw: unknown,
  prefix = '',
): { row?: FinanceInputRow; errors: FinanceRowError[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      errors: [fieldError(prefix.replace(/\.$/, '') || 'body', 'isObject', 'validation.fields.rowObject')],
    };
  }
  const o = raw as RawRow;
  const f = (name: string) => `${prefix}${name}`;
  const amount = amountOf(kind, o, f);
  const errors = [
    ...unknownColumnErrors(kind, o, f),
    ...identityErrors(o, f),
    ...periodErrors(kind, o, f),
    ...amount.errors,
    ...noteErrors(kind, o, f),
  ];
  if (errors.length) return { errors };
  const note = text(o[FINANCE_INPUTS[kind].textField]);
  return {
    row: {
      reference: text(o.reference) as string,
      dealerCode: text(o.dealerCode) as string,
      period: text(o[FINANCE_INPUTS[kind].periodField]) as string,
      amount: amount.value,
      note: typeof note === 'string' && note !== '' ? note : null,
    },
    errors,
  };
}

type FieldName = (name: string) => string;

function unknownColumnErrors(kind: FinanceInputKind, o: RawRow, f: FieldName): FinanceRowError[] {
  return Object.keys(o)
    .filter((key) => !FINANCE_INPUTS[kind].columns.includes(key))
    .map((key) => forbiddenProperty(f(key), key, 'whitelistValidation'));
}

function identityErrors(o: RawRow, f: FieldName): FinanceRowError[] {
  const errors: FinanceRowError[] = [];
  const reference = text(o.reference);
  if (typeof reference !== 'string' || !REFERENCE.test(reference))
    errors.push(fieldError(f('reference'), 'reference', 'validation.fields.financeReference'));
  const dealerCode = text(o.dealerCode);
  if (typeof dealerCode !== 'string' || !DEALER_CODE_REGEX.test(dealerCode))
    errors.push(fieldError(f('dealerCode'), 'dealerCode', 'validation.formats.dealerCode', { field: 'dealerCode' }));
  return errors;
}

function periodErrors(kind: FinanceInputKind, o: RawRow, f: FieldName): FinanceRowError[] {
  const { periodField } = FINANCE_INPUTS[kind];
  const period = text(o[periodField]);
  if (kind === 'breach')
    return isQuarterWithinLimits(period)
      ? []
      : [fieldError(f('quarter'), 'quarter', 'validation.formats.quarter', { field: 'quarter' })];
  if (isDateWithinLimits(period)) return [];
  return [fieldError(f(periodField), 'calendarDate', 'validation.formats.date', { field: periodField })];
}

/** Money is a decimal string as written: no JSON number (a float), no padding. Breaches carry none. */
function amountOf(
  kind: FinanceInputKind,
  o: RawRow,
  f: FieldName,
): { value: string | null; errors: FinanceRowError[] } {
  if (kind === 'breach') return { value: null, errors: [] };
  const a = o.amount;
  if (isMoneyString(a) && !a.startsWith('-')) return { value: formatMoney(a), errors: [] };
  return {
    value: null,
    errors: [fieldError(f('amount'), 'money', 'validation.fields.financeAmount')],
  };
}

function noteErrors(kind: FinanceInputKind, o: RawRow, f: FieldName): FinanceRowError[] {
  const { textField } = FINANCE_INPUTS[kind];
  const note = text(o[textField]);
  const errors: FinanceRowError[] = [];
  if (kind === 'breach' && (typeof note !== 'string' || note.length === 0))
    errors.push(fieldError(f('reason'), 'required', 'validation.fields.reasonRequired'));
  const max = kind === 'breach' ? 2000 : 500;
  if (note !== undefined && note !== null && note !== '' && (typeof note !== 'string' || note.length > max)) {
    errors.push(fieldError(f(textField), 'maxLength', 'validation.fields.textAtMost', { name: textField, max }));
  }
  return errors;
}

/** Same reference, same content? (R: idempotent on the external reference.) */
export function sameContent(a: FinanceInputRow, b: FinanceInputRow): boolean {
  return (
    a.reference === b.reference &&
    a.dealerCode === b.dealerCode &&
    a.period === b.period &&
    a.amount === b.amount &&
    (a.note ?? null) === (b.note ?? null)
  );
}

/** The month (collections, purchases) or quarter (breaches) a row falls in (R-SET-10). */
export function periodKey(kind: FinanceInputKind, row: FinanceInputRow): string {
  return kind === 'breach' ? row.period : monthOfDate(row.period);
}

/** The 1-based row number an error names ("rows[3].amount" → 3), 0 for a field of no row. */
export function rowNo(field: string): number {
  const m = /^rows\[(\d+)\]/.exec(field);
  return m ? Number(m[1]) : 0;
}

/** Rows of a bulk import whose dealer code is well-formed but not known to settlement (yet). */
export function unknownDealerErrors(
  rawRows: unknown[],
  known: ReadonlySet<string>,
  errors: FinanceRowError[],
): FinanceRowError[] {
  const unknown: FinanceRowError[] = [];
  rawRows.forEach((raw, i) => {
    const code = (raw as { dealerCode?: unknown } | null)?.dealerCode;
    const field = `rows[${i + 1}].dealerCode`;
    if (typeof code === 'string' && !known.has(code.trim()) && !errors.some((e) => e.field === field))
      unknown.push(fieldError(field, 'knownDealer', 'validation.fields.dealerNotKnownToSettlement', { code }));
  });
  return unknown;
}

/** The same reference twice in one import must carry the same content; the first of each reference is kept. */
export function distinctReferences(rows: FinanceInputRow[]): {
  unique: Array<{ row: FinanceInputRow; index: number }>;
  errors: FinanceRowError[];
} {
  const seen = new Map<string, { row: FinanceInputRow; index: number }>();
  const errors: FinanceRowError[] = [];
  rows.forEach((row, i) => {
    const prev = seen.get(row.reference);
    if (prev && !sameContent(prev.row, row))
      errors.push(
        fieldError(`rows[${i + 1}].reference`, 'referenceConflict', 'validation.fields.referenceInRow', {
          reference: row.reference,
          row: prev.index + 1,
        }),
      );
    if (!prev) seen.set(row.reference, { row, index: i });
  });
  return { unique: [...seen.values()], errors };
}
