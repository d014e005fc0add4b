import { buildPartsStatement, partsStatementCsv, StatementLine, StatementRequisition } from './parts-statement';

function line(over: Partial<StatementLine>): StatementLine {
  return {
    lineId: 'l',
    partNo: 'BP-01',
    partName: 'brake pad',
    purpose: 'STOCK',
    repairTickets: [],
    requestedQuantity: 1,
    approvedQuantity: 1,
    cutReason: null,
    listPrice: '12.50',
    costPrice: '8.00',
    amount: '12.50',
    chargeTo: 'ALLOWANCE',
    oldPartsOwed: 0,
    oldPartsReceived: 0,
    oldPartsInvoicedQuantity: 0,
    oldPartsInvoicedAmount: '0.00',
    ...over,
  };
}
function req(
  id: string,
  approvedOn: string,
  lines: StatementLine[],
  urgentFreightDifference: string | null = null,
): StatementRequisition {
  return {
    requisitionId: id,
    approvedOn,
    urgent: urgentFreightDifference !== null,
    urgentFreightDifference,
    shippedOn: null,
    oldPartsDueOn: null,
    lines,
  };
}

describe('monthly parts statement (R-PRT-5)', () => {
  const reqs = [
    req('r1', '2026-02-03', [
      line({ lineId: 'a', requestedQuantity: 10, approvedQuantity: 10, amount: '125.00' }),
      line({ lineId: 'cut', requestedQuantity: 2, approvedQuantity: 0, cutReason: 'no', amount: '0.00' }),
    ]),
    req(
      'r2',
      '2026-02-20',
      [
        line({
          lineId: 'b',
          partNo: 'CT-09',
          purpose: 'WARRANTY',
          repairTickets: ['T-1'],
          approvedQuantity: 2,
          listPrice: '180.00',
          amount: '360.00',
          chargeTo: 'FREE',
          oldPartsOwed: 2,
          oldPartsReceived: 1,
          oldPartsInvoicedQuantity: 1,
          oldPartsInvoicedAmount: '120.00',
        }),
        line({ lineId: 'c', amount: '40.00', chargeTo: 'INVOICE' }),
      ],
      '35.00',
    ),
    req('r3', '2026-03-01', [line({ lineId: 'd', amount: '999.00' })]),
  ];

  it('R-PRT-5 the statement holds the requisitions approved in the month and totals per charge target', () => {
    const s = buildPartsStatement('D001', '2026-02', reqs);
    expect(s.requisitions.map((r) => r.requisitionId)).toEqual(['r1', 'r2']);
    expect(s.requisitions[0].lines.map((l) => l.lineId)).toEqual(['a']);
    expect(s.totals).toEqual({
      requisitions: 2,
      lines: 3,
      total: '525.00',
      toAllowance: '125.00',
      free: '360.00',
      invoicedParts: '40.00',
      urgentFreight: '35.00',
      oldPartsOwed: 2,
      oldPartsReceived: 1,
      oldPartsInvoicedQuantity: 1,
      oldPartsInvoicedAmount: '120.00',
      invoicedToDealer: '195.00',
    });
  });

  it('R-PRT-5 the CSV has a row per approved line, the urgent freight and a total row', () => {
    const csv = partsStatementCsv(buildPartsStatement('D001', '2026-02', reqs))
      .trim()
      .split('\r\n');
    expect(csv[0]).toMatch(/^kind,requisitionId,approvedOn/);
    expect(csv.map((r) => r.split(',')[0])).toEqual(['kind', 'LINE', 'LINE', 'LINE', 'URGENT_FREIGHT', 'TOTAL']);
    expect(csv[5]).toContain('525.00');
  });

  it('escapes CSV cells and defuses formulas', () => {
    const s = buildPartsStatement('D001', '2026-02', [
      req('r', '2026-02-01', [line({ partName: '=HYPERLINK("x"), pad' })]),
    ]);
    expect(partsStatementCsv(s)).toContain(`"'=HYPERLINK(""x""), pad"`);
  });
});
