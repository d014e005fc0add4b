import { ProblemException } from '@app/platform';
import { FormTable } from './form-file-reader';
import { FormId, REPORT_FORMS } from './report-forms';
import { parseForms, partsOf, refuseNothingStored, tablesByForm } from './upload-forms';

const form = (id: FormId) => REPORT_FORMS.find((f) => f.id === id)!;
const table = (id: FormId, over: Partial<FormTable> = {}): FormTable => ({
  form: form(id),
  sheet: form(id).sheet,
  rows: [],
  errors: [],
  header: true,
  exampleRows: 0,
  ...over,
});
const partsFrom = (...tables: FormTable[]) => partsOf(parseForms(tablesByForm(tables), '2026-01'));

function refusal(tables: FormTable[], errors: Parameters<typeof refuseNothingStored>[1]): ProblemException {
  try {
    refuseNothingStored(tables, errors);
  } catch (err) {
    return err as ProblemException;
  }
  throw new Error('not refused');
}

describe('R-REP-3 header-only sheets', () => {
  it('R-REP-3 R-REP-4 a header-only sales sheet is the sales statistics with zero lines, as PUT …/sales { lines: [] }', () => {
    expect(partsFrom(table('sales'))).toEqual({ SALES: { lines: [] } });
  });

  it("R-REP-3 a sales sheet with only the template's example row, or no header at all, is not filled in", () => {
    expect(partsFrom(table('sales', { exampleRows: 1 }))).toEqual({});
    expect(partsFrom(table('sales', { header: false }))).toEqual({});
  });

  it('R-REP-3 header-only sheets of the other forms submit nothing', () => {
    const others: FormId[] = ['repairs', 'satisfaction', 'opinions', 'quality-feedback', 'callbacks'];
    expect(partsFrom(...others.map((id) => table(id)))).toEqual({});
  });

  it('R-REP-3 a sales sheet whose every row is bad submits nothing (never zero lines in their place)', () => {
    const bad = table('sales', { rows: [{ row: 2, cells: { outlet: 'D001', model: null, units: 1, amount: 1 } }] });
    expect(partsFrom(bad)).toEqual({});
  });
});

describe('R-REP-3 an upload that would store nothing says why', () => {
  const rowError = {
    sheet: 'sales.csv',
    row: 2,
    column: 'units',
    rule: 'isInt',
    reason: 'units must be a whole number',
  };

  it('R-REP-3 missing columns first (named per sheet), then refused rows (all listed), then no data rows', () => {
    const missing = table('sales', {
      sheet: 'sales.csv',
      errors: [{ sheet: 'sales.csv', row: 1, column: 'amount', rule: 'requiredColumn', reason: 'missing' }],
    });
    const m = refusal([missing, table('callbacks')], [...missing.errors, rowError]);
    expect(m).toMatchObject({ problemStatus: 422, code: 'MISSING_COLUMNS' });
    expect(m.detail).toContain('sales.csv: 金额 / amount');
    expect(m.errors).toHaveLength(2);
    expect(refusal([table('sales')], [rowError])).toMatchObject({ code: 'NO_VALID_ROWS', errors: [expect.anything()] });
    expect(refusal([table('sales', { exampleRows: 1 })], [])).toMatchObject({ code: 'NO_DATA_ROWS' });
  });
});
