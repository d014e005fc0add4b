import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { accrualLine } from '../engine/statement-input.test-support';
import { canonicalLines } from '../statements/statement-rules';
import type { StatementWithLines } from '../statements/statements.repository';
import { monthBars } from './statement-chart';
import { statementPdf, statementsXlsx } from './statement-exports';

const lines = canonicalLines([
  accrualLine({ description: 'Jan: 100 cards × 15.00' }),
  accrualLine({
    description: 'Jan: 20 EB-200 cards × 20.00',
    quantity: 20,
    rate: '20.00',
    amount: '400.00',
    sources: { model: 'EB-200' },
  }),
  accrualLine({
    period: '2026-02',
    description: 'Feb: 80 cards × 15.00',
    quantity: 80,
    amount: '1200.00',
    sources: {},
  }),
  accrualLine({
    period: '2026-03',
    description: 'Mar: 148 cards × 15.00',
    quantity: 148,
    amount: '2220.00',
    sources: {},
  }),
  {
    ruleId: 'R-AUD-3',
    kind: 'FAKE_CARD_PENALTY',
    period: '2026-03',
    description: '2 falsified cards × 10 × 15.00 (假一罚十)',
    quantity: 2,
    rate: '150.00',
    base: null,
    percent: null,
    amount: '-300.00',
    affectsBalance: true,
    sources: {},
  },
  {
    ruleId: 'R-PRT-2',
    kind: 'PARTS_CHARGE',
    period: '2026-01',
    description: 'brake pad 10 × 12.50',
    quantity: 10,
    rate: '12.50',
    base: null,
    percent: null,
    amount: '-125.00',
    affectsBalance: true,
    sources: {},
  },
  {
    ruleId: 'R-PRT-2',
    kind: 'PARTS_CHARGE',
    period: '2026-02',
    description: 'controller 2 × 180.00',
    quantity: 2,
    rate: '180.00',
    base: null,
    percent: null,
    amount: '-360.00',
    affectsBalance: true,
    sources: {},
  },
  {
    ruleId: 'R-RET-4',
    kind: 'RETURN_CHARGE',
    period: '2026-03',
    description: 'IN_WARRANTY return: freight 60.00 + controller 180.00',
    quantity: null,
    rate: null,
    base: null,
    percent: null,
    amount: '-240.00',
    affectsBalance: true,
    sources: {},
  },
  {
    ruleId: 'R-SET-2',
    kind: 'COMPLAINT_PENALTY',
    period: '2026-02',
    description: 'complaint 1 × 1,000.00',
    quantity: 1,
    rate: '1000.00',
    base: null,
    percent: null,
    amount: '-1000.00',
    affectsBalance: true,
    sources: {},
  },
  {
    ruleId: 'R-PRT-3',
    kind: 'URGENT_FREIGHT_INVOICED',
    period: '2026-02',
    description: 'urgent freight difference',
    quantity: null,
    rate: null,
    base: null,
    percent: null,
    amount: '35.00',
    affectsBalance: false,
    sources: {},
  },
]);

const statement: StatementWithLines = {
  id: '00000000-0000-4000-8000-000000000001',
  dealerCode: 'D001',
  quarter: '2026-Q1',
  status: 'POSTED',
  settlementMode: 'FUND_CARRY_OVER',
  opening: '0.00',
  closing: '3295.00',
  totals: {
    byKind: {},
    accrual: '5320.00',
    parts: '-485.00',
    returns: '-240.00',
    penalties: '-1300.00',
    awards: '0.00',
    adjustments: '0.00',
    disputes: '0.00',
    invoiced: '35.00',
    net: '3295.00',
  },
  outcome: { carriedForward: '3295.00', billedToDealer: '0.00', payableToDealer: '0.00', nextOpening: '3295.00' },
  contentHash: 'a'.repeat(64),
  computedByRun: null,
  computedBy: 'finance-alice',
  computedAt: '2026-04-05T00:00:00.000Z',
  approvedBy: 'finance-bob',
  approvedAt: '2026-04-06T00:00:00.000Z',
  postedBy: 'finance-bob',
  postedAt: '2026-04-07T00:00:00.000Z',
  pendingMonths: [],
  lines,
};

describe('statement exports', () => {
  it('R-SET-9 the chart shows accrual against deductions per month of the quarter', () => {
    expect(monthBars('2026-Q1', lines)).toEqual([
      { month: '2026-01', accrual: '1900.00', deductions: '125.00' },
      { month: '2026-02', accrual: '1200.00', deductions: '1360.00' },
      { month: '2026-03', accrual: '2220.00', deductions: '540.00' },
    ]);
  });

  it('R-SET-9 renders a PDF with the lines and their rule ids', async () => {
    const pdf = await statementPdf(statement);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);
    if (process.env.SETTLEMENT_PDF_OUT) writeFileSync(process.env.SETTLEMENT_PDF_OUT, pdf);
  });

  it('R-SET-9 writes Chinese text in an embedded CJK font: 假一罚十 is in the text map, not replaced by "?"', async () => {
    const pdf = await statementPdf(statement);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+(WenQuanYiMicroHei|NotoSansCJK)/);
    // The ToUnicode map of the embedded font lists every character drawn, as UTF-16 hex.
    const cmaps = pdfStreams(pdf)
      .filter((t) => t.includes('begincmap'))
      .join('\n')
      .toLowerCase();
    for (const ch of '假一罚十') expect(cmaps).toContain(`<${ch.codePointAt(0)!.toString(16).padStart(4, '0')}>`);
  });

  it('R-SET-9 renders an XLSX with a summary and every line with its rule id', async () => {
    const buf = await statementsXlsx([
      statement,
      { ...statement, id: '00000000-0000-4000-8000-000000000002', dealerCode: 'D002' },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as never);
    expect(wb.getWorksheet('Statements')?.rowCount).toBe(3);
    const sheet = wb.getWorksheet('Lines');
    expect(sheet?.rowCount).toBe(1 + 2 * lines.length);
    expect(sheet?.getRow(6).getCell(4).value).toBe('R-AUD-3');
    expect(sheet?.getRow(6).getCell(12).value).toBe(-300);
  });
});

/** The deflated streams of a PDF, inflated (those that are not deflated are skipped). */
function pdfStreams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not a deflated stream
    }
  }
  return out;
}
