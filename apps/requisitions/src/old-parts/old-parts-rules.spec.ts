import { checkOldPartReceipt, oldPartsDueOn, oldPartsInvoiceFor, oldPartsOutstanding } from './old-parts-rules';

const warranty = (approvedQuantity: number, received = 0, invoiced = false) => ({
  purpose: 'WARRANTY' as const,
  approvedQuantity,
  received,
  invoiced,
  costPrice: '120.00',
});

describe('old-for-new (R-PRT-4)', () => {
  it('R-PRT-4 old parts are due oldPartReturnDays after shipment, only when WARRANTY parts were approved', () => {
    expect(oldPartsDueOn('2026-02-10', 30, [{ purpose: 'WARRANTY', approvedQuantity: 2 }])).toBe('2026-03-12');
    expect(
      oldPartsDueOn('2026-02-10', 30, [
        { purpose: 'STOCK', approvedQuantity: 2 },
        { purpose: 'WARRANTY', approvedQuantity: 0 },
      ]),
    ).toBeNull();
  });

  it('R-PRT-4 nothing is invoiced on the due date; the day after, what is still owed is invoiced at cost', () => {
    expect(oldPartsInvoiceFor(warranty(3, 1), '2026-03-12', '2026-03-12')).toBeNull();
    expect(oldPartsInvoiceFor(warranty(3, 1), '2026-03-12', '2026-03-13')).toEqual({ quantity: 2, amount: '240.00' });
  });

  it('R-PRT-4 a fully returned line, a STOCK line or an already invoiced line owes nothing', () => {
    expect(oldPartsInvoiceFor(warranty(3, 3), '2026-03-12', '2026-04-01')).toBeNull();
    expect(oldPartsInvoiceFor({ ...warranty(3), purpose: 'STOCK' }, '2026-03-12', '2026-04-01')).toBeNull();
    expect(oldPartsInvoiceFor(warranty(3, 0, true), '2026-03-12', '2026-04-01')).toBeNull();
    expect(oldPartsOutstanding(warranty(3, 0, true))).toBe(0);
  });

  it('R-PRT-4 partial receipts are allowed, never more than still owed', () => {
    expect(checkOldPartReceipt(warranty(3, 1), 2, 'lines[0].quantity')).toBeNull();
    expect(checkOldPartReceipt(warranty(3, 1), 3, 'lines[0].quantity')).toMatchObject({
      field: 'lines[0].quantity',
      rule: 'R-PRT-4',
    });
    expect(checkOldPartReceipt(warranty(3, 0, true), 1, 'q')).not.toBeNull();
    expect(checkOldPartReceipt({ ...warranty(3), purpose: 'STOCK' }, 1, 'q')).not.toBeNull();
  });
});
