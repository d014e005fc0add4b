import { DEALER_CODE_REGEX, IDENTIFIER_TEXT, REFERENCE_REGEX as REFERENCE } from '@app/contracts';
import { formatMoney, isDateWithinLimits, isMoneyString, isQuarterWithinLimits, monthOfDate } from '@app/kernel';

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

/**
 * Validates one row of a finance input. `prefix` names the row in the errors ("rows[3].amount").
 * Pure: the caller checks that the dealer is known.
 */
export function validateFinanceRow(
  kind: FinanceInputKind,
  raw: unknown,
  prefix = '',
): { row?: FinanceInputRow; errors: FinanceRowError[] } {
  const spec = FINANCE_INPUTS[kind];
  const errors: FinanceRowError[] = [];
  const f = (name: string) => `${prefix}${name}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      errors: [{ field: prefix.replace(/\.$/, '') || 'body', rule: 'isObject', message: 'each row must be an object' }],
    };
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!spec.columns.includes(key))
      errors.push({ field: f(key), rule: 'whitelistValidation', message: `property ${key} should not exist` });
  }
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
  const reference = text(o.reference);
  if (typeof reference !== 'string' || !REFERENCE.test(reference))
    errors.push({
      field: f('reference'),
      rule: 'reference',
      message: 'reference must be the external document number: 1-100 letters, digits, . / _ -',
    });
  const dealerCode = text(o.dealerCode);
  if (typeof dealerCode !== 'string' || !DEALER_CODE_REGEX.test(dealerCode))
    errors.push({
      field: f('dealerCode'),
      rule: 'dealerCode',
      message: `dealerCode must be ${IDENTIFIER_TEXT.dealerCode}`,
    });
  const period = text(o[spec.periodField]);
  if (kind === 'breach') {
    if (!isQuarterWithinLimits(period))
      errors.push({ field: f('quarter'), rule: 'quarter', message: 'quarter must be YYYY-Qn from 2000-Q1 to 2099-Q4' });
  } else if (!isDateWithinLimits(period)) {
    errors.push({
      field: f(spec.periodField),
      rule: 'calendarDate',
      message: `${spec.periodField} must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31`,
    });
  }
  let amount: string | null = null;
  if (kind !== 'breach') {
    // Money is a decimal string as written: no JSON number (a float), no padding.
    const a = o.amount;
    if (!isMoneyString(a) || a.startsWith('-')) {
      errors.push({
        field: f('amount'),
        rule: 'money',
        message:
          'amount must be a non-negative decimal string with at most 2 places and at most 9999999999.99, e.g. "1500.00"',
      });
    } else amount = formatMoney(a);
  }
  const note = text(o[spec.textField]);
  if (kind === 'breach' && (typeof note !== 'string' || note.length === 0))
    errors.push({ field: f('reason'), rule: 'required', message: 'reason is required' });
  if (
    note !== undefined &&
    note !== null &&
    note !== '' &&
    (typeof note !== 'string' || note.length > (kind === 'breach' ? 2000 : 500))
  ) {
    errors.push({
      field: f(spec.textField),
      rule: 'maxLength',
      message: `${spec.textField} must be text of at most ${kind === 'breach' ? 2000 : 500} characters`,
    });
  }
  if (errors.length) return { errors };
  return {
    row: {
      reference: reference as string,
      dealerCode: dealerCode as string,
      period: period as string,
      amount,
      note: typeof note === 'string' && note !== '' ? note : null,
    },
    errors,
  };
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
