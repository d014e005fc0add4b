import { periodKey, sameContent, validateFinanceRow } from './finance-input-rules';
import { readFinanceCsv } from './finance-csv';

describe('finance inputs (DOMAIN §6)', () => {
  it('normalises a collection and names every bad field with its rule', () => {
    expect(
      validateFinanceRow('collection', {
        reference: ' RC-1 ',
        dealerCode: 'D001',
        valueDate: '2026-01-15',
        amount: '15000.5',
      }).row,
    ).toEqual({ reference: 'RC-1', dealerCode: 'D001', period: '2026-01-15', amount: '15000.50', note: null });
    const bad = validateFinanceRow(
      'purchase',
      { reference: '', dealerCode: 'bad code', invoiceDate: '2026-02-30', amount: '-1', extra: 1 },
      'rows[3].',
    );
    expect(bad.errors.map((e) => e.field).sort()).toEqual([
      'rows[3].amount',
      'rows[3].dealerCode',
      'rows[3].extra',
      'rows[3].invoiceDate',
      'rows[3].reference',
    ]);
  });

  it('R-SET-6 a breach names a quarter and a reason', () => {
    expect(
      validateFinanceRow('breach', { reference: 'BR-1', dealerCode: 'D001', quarter: '2026-Q5', reason: '' })
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['quarter', 'reason']);
    const ok = validateFinanceRow('breach', {
      reference: 'BR-1',
      dealerCode: 'D001',
      quarter: '2026-Q1',
      reason: 'x',
    }).row!;
    expect(periodKey('breach', ok)).toBe('2026-Q1');
  });

  it('R-SET-10 a collection falls in the month of its value date', () => {
    const row = validateFinanceRow('collection', {
      reference: 'RC-1',
      dealerCode: 'D001',
      valueDate: '2026-03-31',
      amount: '1.00',
    }).row!;
    expect(periodKey('collection', row)).toBe('2026-03');
  });

  it('idempotency compares the whole content under the same reference', () => {
    const a = validateFinanceRow('collection', {
      reference: 'RC-1',
      dealerCode: 'D001',
      valueDate: '2026-03-31',
      amount: '1',
    }).row!;
    const b = validateFinanceRow('collection', {
      reference: 'RC-1',
      dealerCode: 'D001',
      valueDate: '2026-03-31',
      amount: '1.00',
    }).row!;
    expect(sameContent(a, b)).toBe(true);
    expect(sameContent(a, { ...b, amount: '1.01' })).toBe(false);
  });

  it('reads a CSV body with a header; unknown columns refuse the file', () => {
    expect(
      readFinanceCsv('\ufeffreference,dealerCode,valueDate,amount\nRC-1,D001,2026-01-01,"1,000.00"\n', [
        'reference',
        'dealerCode',
        'valueDate',
        'amount',
        'note',
      ]).rows,
    ).toEqual([{ reference: 'RC-1', dealerCode: 'D001', valueDate: '2026-01-01', amount: '1,000.00' }]);
    expect(readFinanceCsv('ref,x\n1,2\n', ['reference']).errors[0]).toMatchObject({ field: 'file', rule: 'csvHeader' });
  });
});
