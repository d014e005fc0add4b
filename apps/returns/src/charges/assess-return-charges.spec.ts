import { allocateByWeight, assessReturnCharges, payerFor } from './assess-return-charges';

const line = (
  lineNo: number,
  returnClass: 'DOA' | 'QUALITY' | 'BATCH_DEFECT' | 'IN_WARRANTY' | 'OUT_OF_WARRANTY',
  chargedQuantity = 1,
) => ({ lineNo, serial: `EB200-00000${lineNo}`, returnClass, chargedQuantity });

describe('return charges (R-RET-4)', () => {
  it('R-RET-4 worked example (DOMAIN §8): one IN_WARRANTY return, inbound freight 60.00 + 1 controller 180.00 = 240.00 to the allowance', () => {
    const a = assessReturnCharges({
      lines: [line(1, 'IN_WARRANTY')],
      inboundFreight: '60.00',
      outboundFreight: '45.00',
      parts: [{ lineNo: 1, partNo: 'CTRL-48V', quantity: 1, listPrice: '180.00' }],
    });
    expect(a.errors).toEqual([]);
    expect(a.dealerTotal).toBe('240.00');
    expect(a.manufacturerTotal).toBe('45.00');
    expect(a.returnClass).toBe('IN_WARRANTY');
    expect(a.charges.map((c) => [c.ruleId, c.kind, c.payer, c.amount])).toEqual([
      ['R-RET-4', 'INBOUND_FREIGHT', 'DEALER_ALLOWANCE', '60.00'],
      ['R-RET-4', 'OUTBOUND_FREIGHT', 'MANUFACTURER', '45.00'],
      ['R-RET-4', 'REFURBISHMENT_PARTS', 'DEALER_ALLOWANCE', '180.00'],
    ]);
    expect(a.charges[2].detail).toMatch(/1 × CTRL-48V at 180.00/);
  });

  it('R-RET-4 worked example (DOMAIN §8): one DOA return costs the dealer 0.00', () => {
    const a = assessReturnCharges({
      lines: [line(1, 'DOA')],
      inboundFreight: '60.00',
      outboundFreight: '60.00',
      parts: [{ lineNo: 1, partNo: 'CTRL-48V', quantity: 1, listPrice: '180.00' }],
    });
    expect(a.dealerTotal).toBe('0.00');
    expect(a.manufacturerTotal).toBe('300.00');
    expect(a.charges.every((c) => c.payer === 'MANUFACTURER')).toBe(true);
  });

  it('R-RET-4 who pays per class (R-RET-2 table)', () => {
    for (const c of ['DOA', 'QUALITY', 'BATCH_DEFECT'] as const) {
      for (const k of ['INBOUND_FREIGHT', 'OUTBOUND_FREIGHT', 'REFURBISHMENT_PARTS'] as const)
        expect(payerFor(c, k)).toBe('MANUFACTURER');
    }
    expect(payerFor('IN_WARRANTY', 'INBOUND_FREIGHT')).toBe('DEALER_ALLOWANCE');
    expect(payerFor('IN_WARRANTY', 'REFURBISHMENT_PARTS')).toBe('DEALER_ALLOWANCE');
    expect(payerFor('IN_WARRANTY', 'OUTBOUND_FREIGHT')).toBe('MANUFACTURER');
    for (const k of ['INBOUND_FREIGHT', 'OUTBOUND_FREIGHT', 'REFURBISHMENT_PARTS'] as const)
      expect(payerFor('OUT_OF_WARRANTY', k)).toBe('DEALER_ALLOWANCE');
  });

  it('R-RET-4 OUT_OF_WARRANTY: the allowance pays freight both ways and the parts', () => {
    const a = assessReturnCharges({
      lines: [line(1, 'OUT_OF_WARRANTY')],
      inboundFreight: '33.30',
      outboundFreight: '20.00',
      parts: [{ lineNo: 1, partNo: 'PAD', quantity: 3, listPrice: '12.50' }],
    });
    expect(a.dealerTotal).toBe('90.80');
    expect(a.manufacturerTotal).toBe('0.00');
  });

  it('R-RET-4 mixed classes: freight split by charged quantity to the fen, each share paid per its line class', () => {
    const a = assessReturnCharges({
      lines: [line(1, 'DOA', 1), line(2, 'IN_WARRANTY', 2)],
      inboundFreight: '100.00',
      outboundFreight: '0.00',
      parts: [],
    });
    expect(a.charges.map((c) => [c.kind, c.payer, c.returnClass, c.amount])).toEqual([
      ['INBOUND_FREIGHT', 'DEALER_ALLOWANCE', 'IN_WARRANTY', '66.67'],
      ['INBOUND_FREIGHT', 'MANUFACTURER', 'DOA', '33.33'],
    ]);
    expect(a.returnClass).toBe('IN_WARRANTY');
  });

  it('R-RET-3 refused lines carry no charge: freight goes to the lines accepted, parts on a refused line are refused', () => {
    const a = assessReturnCharges({
      lines: [line(1, 'OUT_OF_WARRANTY', 0), line(2, 'IN_WARRANTY', 1)],
      inboundFreight: '50.00',
      outboundFreight: '10.00',
      parts: [],
    });
    expect(a.charges.map((c) => [c.kind, c.payer, c.amount, c.lineNos])).toEqual([
      ['INBOUND_FREIGHT', 'DEALER_ALLOWANCE', '50.00', [2]],
      ['OUTBOUND_FREIGHT', 'MANUFACTURER', '10.00', [2]],
    ]);
    const bad = assessReturnCharges({
      lines: [line(1, 'OUT_OF_WARRANTY', 0)],
      inboundFreight: '0.00',
      outboundFreight: '0.00',
      parts: [
        { lineNo: 1, partNo: 'PAD', quantity: 1, listPrice: '1.00' },
        { lineNo: 7, partNo: 'PAD', quantity: 1, listPrice: '1.00' },
      ],
    });
    expect(bad.errors.map((e) => [e.field, e.rule])).toEqual([
      ['parts[0].lineNo', 'R-RET-3'],
      ['parts[1].lineNo', 'R-RET-4'],
    ]);
  });

  it('R-MNY-1 freight allocation adds up to the bill exactly', () => {
    const shares = allocateByWeight('0.10', [1, 1, 1]);
    expect(shares.map((s) => s.toFixed(2))).toEqual(['0.04', '0.03', '0.03']);
    expect(
      allocateByWeight('99.99', [3, 5, 7])
        .reduce((a, b) => a.plus(b))
        .toFixed(2),
    ).toBe('99.99');
  });
});
