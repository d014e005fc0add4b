import { admitGoods, assessReceipt } from './receipt-rules';

describe('receipt rules', () => {
  it('R-RET-1 apply first: goods are received only against an approved application', () => {
    expect(admitGoods('APPROVED')).toEqual({ admit: true });
    for (const status of [null, 'APPLIED', 'REJECTED'] as const) {
      expect(admitGoods(status)).toMatchObject({ admit: false, code: 'NO_APPROVED_APPLICATION' });
    }
    expect(admitGoods(null)).toMatchObject({ reason: expect.stringMatching(/loss is the dealer's/) });
  });

  it('R-RET-1 unsolicited goods are refused, and a received return cannot be received again', () => {
    expect(admitGoods('RECEIVED')).toMatchObject({ admit: false, code: 'ALREADY_RECEIVED' });
    expect(admitGoods('CLOSED')).toMatchObject({ admit: false, code: 'ALREADY_RECEIVED' });
  });

  it("R-RET-3 the manufacturer's count stands over the dealer's list", () => {
    const { lines, errors } = assessReceipt(
      [
        { lineNo: 1, quantity: 3 },
        { lineNo: 2, quantity: 1 },
      ],
      [
        { lineNo: 1, countedQuantity: 2 },
        { lineNo: 2, countedQuantity: 2 },
      ],
    );
    expect(errors).toEqual([]);
    expect(lines.map((l) => [l.lineNo, l.chargedQuantity, l.discrepancy])).toEqual([
      [1, 2, -1],
      [2, 2, 1],
    ]);
  });

  it('R-RET-3 a refused line is not charged, whatever was counted', () => {
    const { lines } = assessReceipt(
      [
        { lineNo: 1, quantity: 1 },
        { lineNo: 2, quantity: 1 },
      ],
      [
        { lineNo: 1, countedQuantity: 1, refusedFor: 'MISSING_PARTS', refusalNote: 'no battery' },
        { lineNo: 2, countedQuantity: 1 },
      ],
    );
    expect(lines[0]).toMatchObject({
      refusedFor: 'MISSING_PARTS',
      refusalNote: 'no battery',
      countedQuantity: 1,
      chargedQuantity: 0,
    });
    expect(lines[1]).toMatchObject({ refusedFor: null, chargedQuantity: 1 });
  });

  it('R-RET-3 every line is counted exactly once; unknown lines and notes without a reason name the field', () => {
    const { errors } = assessReceipt(
      [
        { lineNo: 1, quantity: 1 },
        { lineNo: 2, quantity: 1 },
      ],
      [
        { lineNo: 1, countedQuantity: 1 },
        { lineNo: 1, countedQuantity: 1 },
        { lineNo: 9, countedQuantity: 1, refusalNote: 'dirty' },
      ],
    );
    expect(errors.map((e) => e.field)).toEqual(['lines[1].lineNo', 'lines[2].lineNo', 'lines[2].refusedFor', 'lines']);
  });
});
