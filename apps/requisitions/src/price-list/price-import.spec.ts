import { readPriceCsv } from './price-import';

describe('price-list CSV', () => {
  it('reads rows by header name, BOM and blank lines tolerated', () => {
    const { rows, errors } = readPriceCsv(
      '\uFEFFname,partNo,listPrice,costPrice,effectiveFrom\r\n"pad, front",BP-01,12.50,8.00,2026-01-01\r\n\r\n',
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { partNo: 'BP-01', name: 'pad, front', listPrice: '12.50', costPrice: '8.00', effectiveFrom: '2026-01-01' },
    ]);
  });

  it('refuses a wrong header and names rows with the wrong cell count', () => {
    expect(readPriceCsv('partNo,name\nA,b\n').errors[0]).toMatchObject({ field: 'file', rule: 'csvHeader' });
    expect(readPriceCsv('partNo,name,listPrice,costPrice,effectiveFrom\nA,b,1.00\n').errors[0]).toMatchObject({
      field: 'rows[1]',
    });
  });
});
