import { checkImportRows, checkPriceRow, priceInForce, versionConflict } from './price-rules';

const v = (effectiveFrom: string, listPrice: string, costPrice = '1.00') => ({
  partNo: 'BP-01',
  name: 'brake pad',
  listPrice,
  costPrice,
  effectiveFrom,
});

describe('price list (R-PRT-1)', () => {
  const versions = [v('2026-01-01', '12.50'), v('2026-03-15', '13.00'), v('2026-02-01', '12.80')];

  it('R-PRT-1 the price in force on a date is the latest version effective on or before it', () => {
    expect(priceInForce(versions, '2026-01-31')?.listPrice).toBe('12.50');
    expect(priceInForce(versions, '2026-02-01')?.listPrice).toBe('12.80');
    expect(priceInForce(versions, '2026-03-14')?.listPrice).toBe('12.80');
    expect(priceInForce(versions, '2026-03-15')?.listPrice).toBe('13.00');
    expect(priceInForce(versions, '2027-01-01')?.listPrice).toBe('13.00');
  });

  it('R-PRT-1 no price before the first version', () => {
    expect(priceInForce(versions, '2025-12-31')).toBeUndefined();
  });

  it('R-PRT-1 a new version never rewrites an old one: same date with other values is a conflict, identical is a replay', () => {
    expect(versionConflict(undefined, v('2026-01-01', '12.50'))).toBe('NEW');
    expect(versionConflict(v('2026-01-01', '12.50'), v('2026-01-01', '12.5'))).toBe('SAME');
    expect(versionConflict(v('2026-01-01', '12.50'), v('2026-01-01', '12.60'))).toBe('CONFLICT');
  });

  it('checks a row: money with at most two places, not negative; a real calendar date', () => {
    expect(
      checkPriceRow({ partNo: 'BP-01', name: 'x', listPrice: '12.5', costPrice: '8', effectiveFrom: '2026-01-01' }).row,
    ).toEqual({ partNo: 'BP-01', name: 'x', listPrice: '12.50', costPrice: '8.00', effectiveFrom: '2026-01-01' });
    const bad = checkPriceRow({
      partNo: 'BP-01',
      name: 'x',
      listPrice: '12.555',
      costPrice: '-1.00',
      effectiveFrom: '2026-02-30',
    });
    expect(bad.errors.map((e) => e.field)).toEqual(['listPrice', 'costPrice', 'effectiveFrom']);
    expect(
      checkPriceRow({ partNo: 'BP-01', name: 'x', listPrice: 12.5, costPrice: '1', effectiveFrom: '2026-01-01' })
        .errors[0].field,
    ).toBe('listPrice');
  });

  it('R-PRT-1 an import with one bad row is refused whole, every bad row named with its row number', () => {
    const res = checkImportRows([
      { partNo: 'A', name: 'a', listPrice: '1.00', costPrice: '0.50', effectiveFrom: '2026-01-01' },
      { partNo: 'B', name: 'b', listPrice: 'abc', costPrice: '0.50', effectiveFrom: '2026-01-01' },
      { partNo: 'A', name: 'a', listPrice: '1.00', costPrice: '0.50', effectiveFrom: '2026-01-01' },
    ]);
    expect(res.rows).toEqual([]);
    expect(res.errors.map((e) => e.field)).toEqual(['rows[2].listPrice', 'rows[3].effectiveFrom']);
    expect(res.errors[0].message).toMatch(/^row 2:/);
  });
});
