import { existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { dec } from '@app/kernel';
import type { StatementWithLines } from '../statements/statements.repository';
import { monthBars } from './statement-chart';

/**
 * CJK fonts known on Debian, the first one present is used (the image and scripts/prerequisites.sh
 * install fonts-wqy-microhei); without one the PDF is rendered ASCII-safe (non-ASCII replaced by '?').
 */
export const CJK_FONTS: ReadonlyArray<{ path: string; family?: string }> = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
];

function cjkFont(): { path: string; family?: string } | undefined {
  return CJK_FONTS.find((f) => existsSync(f.path));
}

const money = (v: string | null | undefined) => (v === null || v === undefined ? '' : dec(v).toFixed(2));

function lineBasis(l: StatementWithLines['lines'][number]): string {
  if (l.quantity !== null && l.rate !== null) return `${l.quantity} x ${l.rate}`;
  if (l.base !== null && l.percent !== null) return `${l.base} x ${l.percent}%`;
  if (l.quantity !== null) return String(l.quantity);
  return '';
}

/** A PDF being written, with its fonts and the text filter for fonts without CJK glyphs. */
interface Pdf {
  doc: PDFKit.PDFDocument;
  text: (t: string) => string;
  body: string;
  bold: string;
}

const PDF_COLUMNS = [
  { title: '#', x: 40, w: 20, align: 'left' as const },
  { title: 'Rule', x: 60, w: 55, align: 'left' as const },
  { title: 'Period', x: 115, w: 50, align: 'left' as const },
  { title: 'Description', x: 165, w: 215, align: 'left' as const },
  { title: 'Basis', x: 380, w: 100, align: 'left' as const },
  { title: 'Amount', x: 480, w: 75, align: 'right' as const },
];

/** R-SET-9 explained on paper: header, every line with its rule id, totals, and accrual vs deductions by month. */
export function statementPdf(s: StatementWithLines): Promise<Buffer> {
  const font = cjkFont();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: { Title: `Statement ${s.dealerCode} ${s.quarter}`, Author: 'settlement' },
  });
  if (font) doc.registerFont('body', font.path, font.family);
  const pdf: Pdf = {
    doc,
    text: (t: string) => (font ? t : t.replace(/[^\x20-\x7E]/g, '?')),
    body: font ? 'body' : 'Helvetica',
    bold: font ? 'body' : 'Helvetica-Bold',
  };
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  pdfHeader(pdf, s);
  pdfLines(pdf, s);
  pdfTotals(pdf, s);
  pdfChart(pdf, s);
  doc.end();
  return done;
}

function pdfHeader({ doc, text, body, bold }: Pdf, s: StatementWithLines): void {
  doc
    .font(bold)
    .fontSize(16)
    .text(text(`Quarterly settlement statement — ${s.dealerCode}, ${s.quarter}`));
  doc
    .moveDown(0.3)
    .font(body)
    .fontSize(9)
    .text(text(`Status ${s.status} · mode ${s.settlementMode} · computed ${s.computedAt} by ${s.computedBy}`))
    .text(
      text(
        `Approved ${s.approvedAt ?? '—'} by ${s.approvedBy ?? '—'} · posted ${s.postedAt ?? '—'} by ${s.postedBy ?? '—'}`,
      ),
    )
    .text(`Statement ${s.id} · content hash ${s.contentHash}`);
  doc.moveDown(0.8);
}

/** One row of the line table, on a new page when it would not fit. */
function pdfRow({ doc, text }: Pdf, cells: string[], fontName: string): void {
  const y = doc.y;
  doc.font(fontName).fontSize(8);
  const heights = cells.map((c, i) => doc.heightOfString(text(c), { width: PDF_COLUMNS[i].w - 4 }));
  const h = Math.max(...heights, 10);
  if (y + h > doc.page.height - 60) doc.addPage();
  const top = doc.y;
  cells.forEach((c, i) =>
    doc.text(text(c), PDF_COLUMNS[i].x, top, { width: PDF_COLUMNS[i].w - 4, align: PDF_COLUMNS[i].align }),
  );
  doc.x = 40;
  doc.y = top + h + 3;
}

function pdfLines(pdf: Pdf, s: StatementWithLines): void {
  const { doc, body } = pdf;
  pdfRow(
    pdf,
    PDF_COLUMNS.map((c) => c.title),
    pdf.bold,
  );
  doc
    .moveTo(40, doc.y - 1)
    .lineTo(555, doc.y - 1)
    .strokeColor('#999')
    .stroke();
  pdfRow(pdf, ['', '', '', 'Opening balance', '', money(s.opening)], body);
  for (const l of s.lines) {
    const description = `${l.description}${l.affectsBalance ? '' : ' (invoiced, not in balance)'}`;
    pdfRow(pdf, [String(l.position), l.ruleId, l.period, description, lineBasis(l), money(l.amount)], body);
  }
  doc.moveTo(40, doc.y).lineTo(555, doc.y).stroke();
  doc.moveDown(0.3);
}

function pdfTotals(pdf: Pdf, s: StatementWithLines): void {
  const t = s.totals;
  const totals: Array<[string, string]> = [
    ['Allowance accrual', t.accrual],
    ['Parts charged', t.parts],
    ['Return charges', t.returns],
    ['Penalties', t.penalties],
    ['Awards', t.awards],
    ['Prior-period adjustments', t.adjustments],
    ['Dispute resolutions', t.disputes],
    ['Closing', s.closing],
    ['Invoiced, not in balance', t.invoiced],
    ['Carried forward', s.outcome.carriedForward],
    ['Billed to dealer', s.outcome.billedToDealer],
    ['Payable to dealer', s.outcome.payableToDealer],
    ['Next opening', s.outcome.nextOpening],
  ];
  for (const [label, value] of totals)
    pdfRow(pdf, ['', '', '', label, '', money(value ?? '0.00')], label === 'Closing' ? pdf.bold : pdf.body);
}

const CHART_H = 120;

/** Bar chart: accrual vs deductions by month. */
function pdfChart({ doc, body, bold }: Pdf, s: StatementWithLines): void {
  const bars = monthBars(s.quarter, s.lines);
  if (doc.y + CHART_H + 50 > doc.page.height - 40) doc.addPage();
  doc.moveDown(1).font(bold).fontSize(10).text('Accrual vs deductions by month', 40);
  const top = doc.y + 6;
  const max = Math.max(1, ...bars.flatMap((b) => [Number(b.accrual), Number(b.deductions)]));
  const baseY = top + CHART_H;
  doc.moveTo(40, baseY).lineTo(400, baseY).strokeColor('#333').stroke();
  bars.forEach((b, i) => {
    const x = 60 + i * 110;
    for (const [j, value, color] of [
      [0, b.accrual, '#2e7d32'],
      [1, b.deductions, '#c62828'],
    ] as const) {
      // Chart geometry only (not money arithmetic): bar heights in points.
      const h = (Number(value) / max) * (CHART_H - 14);
      doc
        .rect(x + j * 34, baseY - h, 30, h)
        .fillColor(color)
        .fill();
      doc
        .fillColor('#000')
        .font(body)
        .fontSize(7)
        .text(money(value), x + j * 34 - 6, baseY - h - 10, { width: 42, align: 'center' });
    }
    doc
      .fillColor('#000')
      .fontSize(8)
      .text(b.month, x, baseY + 4, { width: 64, align: 'center' });
  });
  pdfLegend(doc, top);
}

function pdfLegend(doc: PDFKit.PDFDocument, top: number): void {
  doc
    .rect(420, top + 10, 10, 10)
    .fillColor('#2e7d32')
    .fill();
  doc
    .fillColor('#000')
    .fontSize(8)
    .text('accrual', 435, top + 11);
  doc
    .rect(420, top + 26, 10, 10)
    .fillColor('#c62828')
    .fill();
  doc.fillColor('#000').text('deductions', 435, top + 27);
}

const LINE_COLUMNS = [
  { header: 'Dealer', key: 'dealer', width: 10 },
  { header: 'Quarter', key: 'quarter', width: 9 },
  { header: '#', key: 'position', width: 5 },
  { header: 'Rule', key: 'ruleId', width: 10 },
  { header: 'Kind', key: 'kind', width: 24 },
  { header: 'Period', key: 'period', width: 9 },
  { header: 'Description', key: 'description', width: 50 },
  { header: 'Quantity', key: 'quantity', width: 9 },
  { header: 'Rate', key: 'rate', width: 10 },
  { header: 'Base', key: 'base', width: 12 },
  { header: 'Percent', key: 'percent', width: 9 },
  { header: 'Amount', key: 'amount', width: 12 },
  { header: 'In balance', key: 'affectsBalance', width: 10 },
  { header: 'Sources', key: 'sources', width: 60 },
];

/**
 * The one place where a decimal string becomes a JavaScript number: a spreadsheet cell must
 * be numeric to add up in Excel. Values have at most four places, so the cell shows them
 * exactly under its number format; the text of record stays the API's decimal string.
 */
function cell(value: string | null): number | null {
  return value === null ? null : dec(value).toNumber();
}

/** Money and rate cells are numeric with a fixed-place format; see `cell`. */
function addLines(ws: ExcelJS.Worksheet, s: StatementWithLines): void {
  for (const l of s.lines) {
    ws.addRow({
      dealer: s.dealerCode,
      quarter: s.quarter,
      position: l.position,
      ruleId: l.ruleId,
      kind: l.kind,
      period: l.period,
      description: l.description,
      quantity: l.quantity,
      rate: cell(l.rate),
      base: cell(l.base),
      percent: cell(l.percent),
      amount: cell(l.amount),
      affectsBalance: l.affectsBalance ? 'yes' : 'no',
      sources: JSON.stringify(l.sources),
    });
  }
}

function formatSheet(ws: ExcelJS.Worksheet): void {
  ws.getRow(1).font = { bold: true };
  for (const key of ['rate', 'percent']) ws.getColumn(key).numFmt = '0.0000';
  for (const key of ['base', 'amount']) ws.getColumn(key).numFmt = '#,##0.00';
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

/** The money columns of the summary sheet, by key: each 12 wide with a two-place number format. */
const SUMMARY_MONEY_COLUMNS = {
  opening: 'Opening',
  accrual: 'Accrual',
  net: 'Net',
  closing: 'Closing',
  invoiced: 'Invoiced',
  nextOpening: 'Next opening',
};

const SUMMARY_COLUMNS = [
  ...LINE_COLUMNS.slice(0, 2), // Dealer, Quarter
  { header: 'Status', key: 'status', width: 10 },
  { header: 'Mode', key: 'mode', width: 18 },
  ...Object.entries(SUMMARY_MONEY_COLUMNS).map(([key, header]) => ({ header, key, width: 12 })),
  { header: 'Content hash', key: 'hash', width: 66 },
];

function addSummary(ws: ExcelJS.Worksheet, s: StatementWithLines): void {
  ws.addRow({
    dealer: s.dealerCode,
    quarter: s.quarter,
    status: s.status,
    mode: s.settlementMode,
    opening: cell(s.opening),
    accrual: cell(s.totals.accrual),
    net: cell(s.totals.net),
    closing: cell(s.closing),
    invoiced: cell(s.totals.invoiced),
    nextOpening: cell(s.outcome.nextOpening),
    hash: s.contentHash,
  });
}

export async function statementsXlsx(statements: StatementWithLines[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'settlement';
  const summary = wb.addWorksheet('Statements');
  summary.columns = SUMMARY_COLUMNS;
  const lines = wb.addWorksheet('Lines');
  lines.columns = LINE_COLUMNS;
  for (const s of statements) {
    addSummary(summary, s);
    addLines(lines, s);
  }
  summary.getRow(1).font = { bold: true };
  for (const key of Object.keys(SUMMARY_MONEY_COLUMNS)) summary.getColumn(key).numFmt = '#,##0.00';
  formatSheet(lines);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
