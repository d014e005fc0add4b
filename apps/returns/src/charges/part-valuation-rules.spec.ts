import { assessReturnCharges } from './assess-return-charges';
import { valueRefurbishmentParts } from './part-valuation-rules';

const version = (partNo: string, effectiveFrom: string, listPrice: string) => ({
  partNo,
  name: partNo,
  listPrice,
  costPrice: '1.00',
  effectiveFrom,
});
const priceList = new Map([
  ['CTRL-48V', [version('CTRL-48V', '2026-01-01', '180.00'), version('CTRL-48V', '2026-04-01', '195.50')]],
  ['PAD', [version('PAD', '2026-05-01', '12.50')]],
]);

describe('refurbishment parts at list price (R-RET-4, DOMAIN §9)', () => {
  it('R-RET-4 §9 refurbishment parts are valued at the list price in force on the closing date', () => {
    const used = [{ lineNo: 1, partNo: 'CTRL-48V', quantity: 2 }];
    expect(valueRefurbishmentParts(used, priceList, '2026-03-31').parts).toEqual([
      { lineNo: 1, partNo: 'CTRL-48V', quantity: 2, listPrice: '180.00' },
    ]);
    expect(valueRefurbishmentParts(used, priceList, '2026-04-01').parts[0].listPrice).toBe('195.50');
    const valued = valueRefurbishmentParts(used, priceList, '2026-06-30');
    const assessed = assessReturnCharges({
      lines: [{ lineNo: 1, serial: 'EB200-000001', returnClass: 'IN_WARRANTY', chargedQuantity: 1 }],
      inboundFreight: '0.00',
      outboundFreight: '0.00',
      parts: valued.parts,
    });
    expect(assessed.dealerTotal).toBe('391.00');
    expect(assessed.charges[0].detail).toMatch(/2 × CTRL-48V at 195.50/);
  });

  it('R-RET-4 §9 a part without a list price in force on the closing date is refused, naming the part; no part is valued', () => {
    const { parts, errors } = valueRefurbishmentParts(
      [
        { lineNo: 1, partNo: 'CTRL-48V', quantity: 1 },
        { lineNo: 1, partNo: 'PAD', quantity: 4 },
        { lineNo: 2, partNo: 'NOPE-1', quantity: 1 },
      ],
      priceList,
      '2026-04-30',
    );
    expect(parts).toEqual([]);
    expect(errors.map((e) => [e.field, e.rule])).toEqual([
      ['parts[1].partNo', 'listPrice'],
      ['parts[2].partNo', 'listPrice'],
    ]);
    expect(errors[0].message).toBe(
      'PAD has no list price in force on the closing date 2026-04-30 (its first price applies from 2026-05-01)',
    );
    expect(errors[1].message).toMatch(/^NOPE-1 is not on the price list/);
  });

  it('R-RET-4 §9 part numbers are the price list’s, compared exactly', () => {
    const { errors } = valueRefurbishmentParts(
      [{ lineNo: 1, partNo: 'ctrl-48v', quantity: 1 }],
      priceList,
      '2026-03-31',
    );
    expect(errors.map((e) => e.field)).toEqual(['parts[0].partNo']);
  });
});
