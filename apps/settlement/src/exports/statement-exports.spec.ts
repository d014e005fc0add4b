import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { accrualLine } from '../engine/statement-input.test-support';
import { canonicalLines } from '../statements/statement-rules';
import { monthBars } from './statement-chart';
import { pdfPages } from './pdf-text.test-support';
import type { ExportedStatement } from './statement-columns';
import { toCsv } from './statement-csv';
import { LINE_COLUMNS, linesOf, STATEMENT_COLUMNS } from './statement-columns';
import { statementPdf } from './statement-pdf';
import { statementsXlsx } from './statement-xlsx';

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

const statement: ExportedStatement = {
  id: '00000000-0000-4000-8000-000000000001',
  dealerCode: 'D001',
  dealerName: '上海永安车行',
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
  chain: null,
  lines,
};

const manufacturer = { name: '示例电动车制造有限公司 Example E-Bike Co., Ltd.', address: '上海市浦东新区示例路 1 号' };

describe('statement exports', () => {
  it('R-SET-9 the chart shows accrual against deductions per month of the quarter', () => {
    expect(monthBars('2026-Q1', lines)).toEqual([
      { month: '2026-01', accrual: '1900.00', deductions: '125.00' },
      { month: '2026-02', accrual: '1200.00', deductions: '1360.00' },
      { month: '2026-03', accrual: '2220.00', deductions: '540.00' },
    ]);
  });

  it('R-SET-9 the PDF reads back with dealer, manufacturer, quarter dates, bilingual labels, readable amounts and totals', async () => {
    const pdf = await statementPdf(statement, manufacturer);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (process.env.SETTLEMENT_PDF_OUT) writeFileSync(process.env.SETTLEMENT_PDF_OUT, pdf);
    const text = pdfPages(pdf).join('\n');
    for (const expected of [
      '季度结算单 Quarterly settlement statement',
      '经销商 Dealer: 上海永安车行 (D001)',
      `制造商 Manufacturer: ${manufacturer.name}`,
      '结算季度 Quarter: 2026-Q1 (2026-01-01 – 2026-03-31)',
      '币种 Currency: 人民币 元 CNY (yuan)',
      '状态 Status: 已过账 Posted',
      '审批 Approved: 2026-04-06 08:00 +08:00',
      '服务费计提 Allowance accrual',
      '100 × 15.00',
      '1 × 1,000.00',
      '2,220.00',
      '-1,000.00',
      '期末余额 Closing balance',
      '3,295.00',
      '甲方（制造商）盖章 Manufacturer (Party A), seal',
      '乙方（经销商）盖章 Dealer (Party B), seal',
      `内容哈希 Content hash: ${'a'.repeat(64)}`,
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('15.0000');
  });

  it('R-SET-9 every PDF page is numbered "第 n 页 / 共 N 页 Page n of N", the id and hash only in the footer', async () => {
    const long = { ...statement, lines: Array.from({ length: 4 }, () => statement.lines).flat() };
    const pdf = await statementPdf(long, manufacturer);
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(1);
    if (process.env.SETTLEMENT_PDF_OUT)
      writeFileSync(process.env.SETTLEMENT_PDF_OUT.replace(/\.pdf$/, '-long.pdf'), pdf);
    // The line table continues under its column headings on the next page.
    expect(pages[1]).toContain('规则 Rule');
    pages.forEach((page, i) => {
      expect(page).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页 Page ${i + 1} of ${pages.length}`);
      expect(page).toContain(`结算单编号 Statement id: ${statement.id}`);
      // The footer is the last thing on the page: nothing after the id and hash but the page number.
      expect(page.indexOf(statement.id)).toBeGreaterThan(page.length - 300);
    });
  });

  it('R-SET-9 writes Chinese text in an embedded, subset CJK font: 假一罚十 is in the text map, not replaced by "?"', async () => {
    const pdf = await statementPdf(statement, manufacturer);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+(WenQuanYiMicroHei|NotoSansCJK)/);
    // The ToUnicode map of the embedded font lists every character drawn, as UTF-16 hex.
    const cmaps = pdfStreams(pdf)
      .filter((t) => t.includes('begincmap'))
      .join('\n')
      .toLowerCase();
    for (const ch of '假一罚十') expect(cmaps).toContain(`<${ch.codePointAt(0)!.toString(16).padStart(4, '0')}>`);
    // A subset: the whole font is several MB.
    expect(pdf.length).toBeLessThan(300_000);
  });

  it('R-SET-9 the XLSX has bilingual headers, readable sources and a totals row on each sheet', async () => {
    const d2 = { ...statement, id: '00000000-0000-4000-8000-000000000002', dealerCode: 'D002', dealerName: null };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await statementsXlsx([statement, d2])) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['结算单 Statements', '明细 Lines']);
    const summary = wb.getWorksheet('结算单 Statements')!;
    expect(summary.rowCount).toBe(4);
    expect((summary.getRow(1).values as unknown[]).slice(1, 6)).toEqual([
      '经销商 Dealer',
      '经销商名称 Dealer name',
      '结算季度 Quarter',
      '状态 Status',
      '结算方式 Settlement mode',
    ]);
    expect(summary.getRow(2).getCell(2).value).toBe('上海永安车行');
    expect(summary.getRow(2).getCell(4).value).toBe('已过账 Posted');
    expect(summary.getRow(4).getCell(1).value).toBe('合计 Total');
    expect(summary.getRow(4).getCell(9).value).toBe(6590);
    const sheet = wb.getWorksheet('明细 Lines')!;
    expect(sheet.rowCount).toBe(1 + 2 * lines.length + 1);
    expect(sheet.getRow(1).getCell(12).value).toBe('金额（元） Amount (CNY)');
    expect(sheet.getRow(6).getCell(4).value).toBe('R-AUD-3');
    expect(sheet.getRow(6).getCell(12).value).toBe(-300);
    expect(sheet.getRow(3).getCell(14).value).toBe('model: EB-200');
    const total = sheet.getRow(sheet.rowCount);
    expect(total.getCell(1).value).toBe('合计（计入余额） Total in balance');
    // Both statements' lines in balance: 2 × 3,295.00 (the 35.00 invoiced outside the balance is left out).
    expect(total.getCell(12).value).toBe(6590);
  });

  it('R-SET-9 the CSV is UTF-8 with a BOM, CRLF, RFC 4180 quoting and a bilingual header', () => {
    const csv = toCsv(LINE_COLUMNS, linesOf([statement]));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csv.toString('utf8').slice(1).split('\r\n');
    expect(rows[0].split(',').slice(0, 4)).toEqual(['经销商 Dealer', '结算季度 Quarter', '序号 No.', '规则 Rule']);
    expect(rows).toHaveLength(1 + lines.length + 1);
    expect(rows[lines.length + 1]).toBe('');
    expect(rows).toContain(
      'D001,2026-Q1,9,R-SET-2,投诉罚款 Complaint penalty,2026-02,"complaint 1 × 1,000.00",1,1000.00,,,-1000.00,是 yes,',
    );
    const summary = toCsv(STATEMENT_COLUMNS, [{ ...statement, dealerName: '=HYPERLINK("x") "A", B' }]).toString('utf8');
    expect(summary).toContain(`D001,"'=HYPERLINK(""x"") ""A"", B",2026-Q1,已过账 Posted`);
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
