import type { PartsChargingTerms } from '@app/contracts';
import {
  chargeTarget,
  checkFiledLines,
  documentDate,
  planApproval,
  summariseCharges,
  valueLines,
} from './requisition-rules';

const prices = new Map([
  [
    'BP-01',
    [
      { partNo: 'BP-01', name: 'brake pad', listPrice: '12.50', costPrice: '8.00', effectiveFrom: '2026-01-01' },
      { partNo: 'BP-01', name: 'brake pad', listPrice: '13.00', costPrice: '8.40', effectiveFrom: '2026-02-01' },
    ],
  ],
  [
    'CT-09',
    [{ partNo: 'CT-09', name: 'controller', listPrice: '180.00', costPrice: '120.00', effectiveFrom: '2026-01-01' }],
  ],
  ['SC-3', [{ partNo: 'SC-3', name: 'screw', listPrice: '0.335', costPrice: '0.10', effectiveFrom: '2026-01-01' }]],
]);
const allAllowance: PartsChargingTerms = { warranty: 'ALLOWANCE', stock: 'ALLOWANCE' };

describe('requisitions (R-PRT-1, R-PRT-2, R-PRT-3)', () => {
  it('R-PRT-1 a requisition is valued at the prices in force on its approval date', () => {
    const line = [{ lineId: 'l1', partNo: 'BP-01', quantity: 10, purpose: 'STOCK' as const }];
    expect(valueLines(line, prices, '2026-01-31', allAllowance).lines[0]).toMatchObject({
      listPrice: '12.50',
      costPrice: '8.00',
      amount: '125.00',
    });
    expect(valueLines(line, prices, '2026-02-01', allAllowance).lines[0]).toMatchObject({
      listPrice: '13.00',
      costPrice: '8.40',
      amount: '130.00',
    });
  });

  it('R-PRT-1 a part without a price on the approval date is reported missing, not valued at zero', () => {
    const res = valueLines(
      [
        { lineId: 'l1', partNo: 'BP-01', quantity: 1, purpose: 'STOCK' },
        { lineId: 'l2', partNo: 'NOPE', quantity: 1, purpose: 'STOCK' },
      ],
      prices,
      '2025-12-31',
      allAllowance,
    );
    expect(res.missing).toEqual(['BP-01', 'NOPE']);
    expect(res.lines).toEqual([]);
  });

  it('R-MNY-1 a line amount is quantity × list price, rounded once half-up', () => {
    const res = valueLines(
      [{ lineId: 'l1', partNo: 'SC-3', quantity: 3, purpose: 'STOCK' }],
      prices,
      '2026-01-05',
      allAllowance,
    );
    expect(res.lines[0].amount).toBe('1.01'); // 3 × 0.335 = 1.005 → 1.01
  });

  it('R-PRT-2 each line is charged per partsCharging of its purpose', () => {
    const terms: PartsChargingTerms = { warranty: 'FREE', stock: 'INVOICE' };
    expect(chargeTarget('WARRANTY', terms)).toBe('FREE');
    expect(chargeTarget('STOCK', terms)).toBe('INVOICE');
    expect(chargeTarget('WARRANTY', { warranty: 'ALLOWANCE', stock: 'FREE' })).toBe('ALLOWANCE');
    expect(chargeTarget('STOCK', { warranty: 'INVOICE', stock: 'FREE' })).toBe('FREE');
    const res = valueLines(
      [
        { lineId: 'w', partNo: 'CT-09', quantity: 1, purpose: 'WARRANTY' },
        { lineId: 's', partNo: 'BP-01', quantity: 2, purpose: 'STOCK' },
      ],
      prices,
      '2026-01-10',
      terms,
    );
    expect(res.lines.map((l) => [l.lineId, l.chargeTo])).toEqual([
      ['w', 'FREE'],
      ['s', 'INVOICE'],
    ]);
  });

  it('R-PRT-2 totals per charge target; worked example: 10 × 12.50 + 2 × 180.00 to the allowance = 485.00', () => {
    const jan = valueLines(
      [{ lineId: 'a', partNo: 'BP-01', quantity: 10, purpose: 'STOCK' }],
      prices,
      '2026-01-15',
      allAllowance,
    ).lines;
    const feb = valueLines(
      [{ lineId: 'b', partNo: 'CT-09', quantity: 2, purpose: 'WARRANTY' }],
      prices,
      '2026-02-10',
      allAllowance,
    ).lines;
    expect(summariseCharges([...jan, ...feb], null)).toEqual({
      total: '485.00',
      toAllowance: '485.00',
      free: '0.00',
      invoicedParts: '0.00',
      urgentFreightDifference: null,
      invoicedToDealer: '0.00',
    });
  });

  it('R-PRT-3 the urgent freight difference is always invoiced to the dealer, whatever the parts charging', () => {
    const lines = valueLines(
      [{ lineId: 'b', partNo: 'CT-09', quantity: 2, purpose: 'WARRANTY' }],
      prices,
      '2026-02-10',
      { warranty: 'FREE', stock: 'FREE' },
    ).lines;
    const s = summariseCharges(lines, '35.00');
    expect(s).toMatchObject({
      toAllowance: '0.00',
      free: '360.00',
      urgentFreightDifference: '35.00',
      invoicedToDealer: '35.00',
    });
  });

  it('R-PRT-3 an urgent requisition cannot be approved without the freight difference; a normal one cannot carry one', () => {
    const req = [{ lineId: 'l1', quantity: 2 }];
    expect(planApproval(req, undefined, true, undefined).errors[0]).toMatchObject({
      field: 'urgentFreightDifference',
      rule: 'R-PRT-3',
    });
    expect(planApproval(req, undefined, false, '10.00').errors[0]).toMatchObject({
      field: 'urgentFreightDifference',
      rule: 'R-PRT-3',
    });
    expect(planApproval(req, undefined, true, '35.00').plan?.urgentFreightDifference).toBe('35.00');
    expect(planApproval(req, undefined, true, '3.555').errors[0]).toMatchObject({
      field: 'urgentFreightDifference',
      rule: 'money',
    });
  });

  it('approves all lines by default; a reduced or cut line needs a reason; more than requested is refused', () => {
    const req = [
      { lineId: 'l1', quantity: 5 },
      { lineId: 'l2', quantity: 2 },
    ];
    const all = planApproval(req, undefined, false, undefined).plan!;
    expect([...all.lines.values()]).toEqual([
      { approvedQuantity: 5, cutReason: null },
      { approvedQuantity: 2, cutReason: null },
    ]);
    const some = planApproval(
      req,
      [
        { lineId: 'l2', quantity: 0, reason: 'not a wear part' },
        { lineId: 'l1', quantity: 3, reason: 'stock limit' },
      ],
      false,
      undefined,
    ).plan!;
    expect(some.lines.get('l1')).toEqual({ approvedQuantity: 3, cutReason: 'stock limit' });
    expect(some.lines.get('l2')).toEqual({ approvedQuantity: 0, cutReason: 'not a wear part' });
    expect(planApproval(req, [{ lineId: 'l2', quantity: 0 }], false, undefined).errors[0]).toMatchObject({
      field: 'lines[0].reason',
    });
    expect(planApproval(req, [{ lineId: 'l2', quantity: 3 }], false, undefined).errors[0]).toMatchObject({
      field: 'lines[0].quantity',
    });
    expect(planApproval(req, [{ lineId: 'zz', quantity: 1 }], false, undefined).errors[0]).toMatchObject({
      field: 'lines[0].lineId',
    });
    expect(
      planApproval(
        req,
        [
          { lineId: 'l1', quantity: 0, reason: 'x' },
          { lineId: 'l2', quantity: 0, reason: 'y' },
        ],
        false,
        undefined,
      ).errors[0],
    ).toMatchObject({ field: 'lines', rule: 'nothingApproved' });
  });

  it('a WARRANTY line must name its repair tickets; a STOCK line names none', () => {
    expect(
      checkFiledLines([
        { partNo: 'A', quantity: 1, purpose: 'WARRANTY', repairTickets: [] },
        { partNo: 'A', quantity: 1, purpose: 'STOCK', repairTickets: ['T1'] },
        { partNo: 'A', quantity: 1, purpose: 'WARRANTY', repairTickets: ['T1'] },
      ]).map((e) => e.field),
    ).toEqual(['lines[0].repairTickets', 'lines[1].repairTickets']);
  });
});

describe('document dates (R-SET-10, DOMAIN §9)', () => {
  const today = '2026-04-02';
  const approval = (given: string | undefined, filedOn = '2026-03-28') =>
    documentDate(
      { field: 'approvedOn', step: 'approval', given, follows: { field: 'filedOn', step: 'filing', date: filedOn } },
      today,
    );

  it('R-SET-10 §9 a date not given is today in Asia/Shanghai', () => {
    expect(documentDate({ field: 'filedOn', step: 'filing', given: undefined }, today)).toEqual({
      date: today,
      errors: [],
    });
  });

  it('R-SET-10 §9 a date on the document is kept, back to a quarter already approved', () => {
    expect(approval('2026-03-31')).toEqual({ date: '2026-03-31', errors: [] });
    expect(approval('2026-03-28')).toEqual({ date: '2026-03-28', errors: [] });
  });

  it('R-SET-10 §9 a date in the future is refused, naming the field and the rule', () => {
    expect(approval('2026-04-03').errors).toEqual([
      {
        field: 'approvedOn',
        rule: 'R-SET-10',
        message: 'approvedOn 2026-04-03 is in the future: today in Asia/Shanghai is 2026-04-02',
      },
    ]);
  });

  it('R-SET-10 §9 an approval dated before its filing is refused', () => {
    expect(approval('2026-03-27').errors).toEqual([
      {
        field: 'approvedOn',
        rule: 'R-SET-10',
        message: 'approvedOn 2026-03-27 is before filedOn 2026-03-28: the approval cannot precede the filing',
      },
    ]);
  });
});
