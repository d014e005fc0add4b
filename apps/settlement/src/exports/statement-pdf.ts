import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { monthBars } from './statement-chart';
import type { ExportedStatement } from './statement-columns';
import { lineBasis, quarterDates, readableMoney, shanghaiTime } from './statement-format';
import { bilingual, bilingualValue } from './statement-labels';

/**
 * CJK fonts known on Debian, the first one present is used (the image and scripts/prerequisites.sh
 * install fonts-wqy-microhei); without one the PDF is rendered ASCII-safe (non-ASCII replaced by '?').
 * PDFKit embeds only the glyphs drawn (a subset), so the file stays small.
 */
export const CJK_FONTS: ReadonlyArray<{ path: string; family?: string }> = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
];

function cjkFont(): { path: string; family?: string } | undefined {
  return CJK_FONTS.find((f) => existsSync(f.path));
}

/** Who issues the statement (甲方), from configuration. */
export interface Manufacturer {
  name: string;
  address: string;
}

/** A PDF being written, with its fonts and the text filter for fonts without CJK glyphs. */
interface Pdf {
  doc: PDFKit.PDFDocument;
  text: (t: string) => string;
  body: string;
  bold: string;
}

const LEFT = 40;
const RIGHT = 555;
const FOOTER_H = 36;

const PDF_COLUMNS = [
  { label: 'column.position', x: 40, w: 30, align: 'left' as const },
  { label: 'column.rule', x: 70, w: 50, align: 'left' as const },
  { label: 'column.period', x: 120, w: 50, align: 'left' as const },
  { label: 'column.description', x: 170, w: 215, align: 'left' as const },
  { label: 'column.basis', x: 385, w: 90, align: 'left' as const },
  { label: 'column.amount', x: 475, w: 80, align: 'right' as const },
];

/**
 * R-SET-9 on paper, a document both parties can sign: manufacturer and dealer, the quarter with its
 * dates, currency, every line with its rule id, totals, accrual vs deductions by month, status and
 * approvals in Shanghai time, a seal block for each party; page numbers, ids and hash in the footer.
 */
export function statementPdf(s: ExportedStatement, manufacturer: Manufacturer): Promise<Buffer> {
  const font = cjkFont();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 40, left: LEFT, right: 595 - RIGHT, bottom: 40 + FOOTER_H },
    bufferPages: true,
    info: { Title: `Statement ${s.dealerCode} ${s.quarter}`, Author: manufacturer.name },
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
  pdfHeader(pdf, s, manufacturer);
  pdfLines(pdf, s);
  pdfTotals(pdf, s);
  pdfChart(pdf, s);
  pdfSignatures(pdf, s, manufacturer);
  pdfFooters(pdf, s);
  doc.end();
  return done;
}

/** "制造商 Manufacturer: value" rows of the header, label bold. */
function pdfField({ doc, text, body, bold }: Pdf, label: string, value: string): void {
  doc
    .font(bold)
    .fontSize(9)
    .text(text(`${bilingual(label)}: `), LEFT, doc.y, { continued: true })
    .font(body)
    .text(text(value));
}

function approval(at: string | null, by: string | null): string {
  return at === null ? bilingual('notYet') : `${shanghaiTime(at)} · ${bilingual('by')} ${by ?? ''}`;
}

function pdfHeader(pdf: Pdf, s: ExportedStatement, manufacturer: Manufacturer): void {
  const { doc, text, bold } = pdf;
  doc
    .font(bold)
    .fontSize(16)
    .text(text(bilingual('title')), LEFT, doc.y, { align: 'center' });
  doc.moveDown(0.6);
  pdfField(pdf, 'manufacturer', manufacturer.name);
  pdfField(pdf, 'address', manufacturer.address);
  pdfField(pdf, 'dealer', s.dealerName ? `${s.dealerName} (${s.dealerCode})` : s.dealerCode);
  pdfField(pdf, 'quarter', `${s.quarter} (${quarterDates(s.quarter)})`);
  pdfField(pdf, 'currency', `${bilingual('currencyValue')} · CNY`);
  pdfField(pdf, 'status', bilingualValue('statusValue', s.status));
  pdfField(pdf, 'mode', bilingualValue('modeValue', s.settlementMode));
  pdfField(pdf, 'computed', approval(s.computedAt, s.computedBy));
  pdfField(pdf, 'approved', approval(s.approvedAt, s.approvedBy));
  pdfField(pdf, 'posted', approval(s.postedAt, s.postedBy));
  if (s.pendingMonths.length > 0) pdfField(pdf, 'pendingMonths', s.pendingMonths.join(', '));
  doc.moveDown(0.8);
}

/** One row of the line table, on a new page (under the column headings again) when it would not fit. */
function pdfRow(pdf: Pdf, cells: string[], fontName: string): void {
  const { doc, text } = pdf;
  doc.font(fontName).fontSize(8);
  const heights = cells.map((c, i) => doc.heightOfString(text(c), { width: PDF_COLUMNS[i].w - 4 }));
  const h = Math.max(...heights, 10);
  if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
    doc.addPage();
    pdfHeadings(pdf);
    doc.font(fontName).fontSize(8);
  }
  const top = doc.y;
  cells.forEach((c, i) =>
    doc.text(text(c), PDF_COLUMNS[i].x, top, { width: PDF_COLUMNS[i].w - 4, align: PDF_COLUMNS[i].align }),
  );
  doc.x = LEFT;
  doc.y = top + h + 3;
}

function rule(doc: PDFKit.PDFDocument): void {
  doc
    .moveTo(LEFT, doc.y - 1)
    .lineTo(RIGHT, doc.y - 1)
    .strokeColor('#999')
    .stroke();
}

/** The column headings of the line table, underlined. */
function pdfHeadings(pdf: Pdf): void {
  const { doc, text, bold } = pdf;
  doc.font(bold).fontSize(8);
  const labels = PDF_COLUMNS.map((c) => text(bilingual(c.label)));
  const h = Math.max(...labels.map((l, i) => doc.heightOfString(l, { width: PDF_COLUMNS[i].w - 4 })));
  const top = doc.y;
  labels.forEach((l, i) =>
    doc.text(l, PDF_COLUMNS[i].x, top, { width: PDF_COLUMNS[i].w - 4, align: PDF_COLUMNS[i].align }),
  );
  doc.x = LEFT;
  doc.y = top + h + 3;
  rule(doc);
}

function pdfLines(pdf: Pdf, s: ExportedStatement): void {
  pdfHeadings(pdf);
  pdfRow(pdf, ['', '', '', bilingual('openingBalance'), '', readableMoney(s.opening)], pdf.body);
  for (const l of s.lines) {
    const note = l.affectsBalance ? '' : ` (${bilingual('notInBalance')})`;
    const description = `${bilingualValue('kind', l.kind)}\n${l.description}${note}`;
    pdfRow(pdf, [String(l.position), l.ruleId, l.period, description, lineBasis(l), readableMoney(l.amount)], pdf.body);
  }
  rule(pdf.doc);
  pdf.doc.moveDown(0.3);
}

function pdfTotals(pdf: Pdf, s: ExportedStatement): void {
  const t = s.totals;
  const totals: Array<[string, string]> = [
    ['accrual', t.accrual],
    ['parts', t.parts],
    ['returns', t.returns],
    ['penalties', t.penalties],
    ['awards', t.awards],
    ['adjustments', t.adjustments],
    ['disputes', t.disputes],
    ['closing', s.closing],
    ['invoiced', t.invoiced],
    ['carriedForward', s.outcome.carriedForward],
    ['billedToDealer', s.outcome.billedToDealer],
    ['payableToDealer', s.outcome.payableToDealer],
    ['nextOpening', s.outcome.nextOpening],
  ];
  for (const [key, value] of totals)
    pdfRow(
      pdf,
      ['', '', '', bilingual(`totals.${key}`), '', readableMoney(value ?? '0.00')],
      key === 'closing' ? pdf.bold : pdf.body,
    );
}

/** A section's heading, on a new page unless the heading and `height` points below it fit; returns the y below it. */
function pdfSection({ doc, text, bold }: Pdf, title: string, height: number): number {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc
    .moveDown(1)
    .font(bold)
    .fontSize(10)
    .text(text(bilingual(title)), LEFT);
  return doc.y + 6;
}

const CHART_H = 120;

/** Bar chart: accrual vs deductions by month. */
function pdfChart(pdf: Pdf, s: ExportedStatement): void {
  const { doc, body } = pdf;
  const bars = monthBars(s.quarter, s.lines);
  const top = pdfSection(pdf, 'chart.title', CHART_H + 50);
  const max = Math.max(1, ...bars.flatMap((b) => [Number(b.accrual), Number(b.deductions)]));
  const baseY = top + CHART_H;
  doc.moveTo(LEFT, baseY).lineTo(400, baseY).strokeColor('#333').stroke();
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
        .text(readableMoney(value), x + j * 34 - 8, baseY - h - 10, { width: 46, align: 'center' });
    }
    doc
      .fillColor('#000')
      .fontSize(8)
      .text(b.month, x, baseY + 4, { width: 64, align: 'center' });
  });
  pdfLegend(pdf, top);
  doc.x = LEFT;
  doc.y = baseY + 20;
}

function pdfLegend({ doc, text }: Pdf, top: number): void {
  (['accrual', 'deductions'] as const).forEach((key, i) => {
    doc
      .rect(420, top + 10 + i * 16, 10, 10)
      .fillColor(key === 'accrual' ? '#2e7d32' : '#c62828')
      .fill();
    doc
      .fillColor('#000')
      .fontSize(8)
      .text(text(bilingual(`chart.${key}`)), 435, top + 11 + i * 16);
  });
}

const SEAL_H = 130;

/** Both parties sign and seal: a box each, with the party's name, a signatory line and a date line. */
function pdfSignatures(pdf: Pdf, s: ExportedStatement, manufacturer: Manufacturer): void {
  const { doc, text, body, bold } = pdf;
  const top = pdfSection(pdf, 'signature.title', SEAL_H + 30);
  const parties: Array<[string, string]> = [
    ['signature.manufacturer', manufacturer.name],
    ['signature.dealer', s.dealerName ? `${s.dealerName} (${s.dealerCode})` : s.dealerCode],
  ];
  parties.forEach(([label, name], i) => {
    const x = LEFT + i * 262;
    doc.rect(x, top, 250, SEAL_H).strokeColor('#999').stroke();
    doc
      .font(bold)
      .fontSize(9)
      .text(text(bilingual(label)), x + 8, top + 8, { width: 234 });
    doc
      .font(body)
      .fontSize(8)
      .text(text(name), x + 8, doc.y + 2, { width: 234 });
    doc.text(text(`${bilingual('signature.signatory')}: ____________________`), x + 8, top + SEAL_H - 40);
    doc.text(text(`${bilingual('signature.date')}: ____________________`), x + 8, top + SEAL_H - 22);
  });
  doc.x = LEFT;
  doc.y = top + SEAL_H + 6;
}

/** Every page: "第 1 页 / 共 2 页 Page 1 of 2", and the statement's id and content hash in small print. */
function pdfFooters({ doc, text, body }: Pdf, s: ExportedStatement): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing into the bottom margin would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 40 - FOOTER_H + 10;
    doc.moveTo(LEFT, y).lineTo(RIGHT, y).strokeColor('#ccc').stroke();
    doc
      .fillColor('#666')
      .font(body)
      .fontSize(6.5)
      .text(text(`${bilingual('column.statementId')}: ${s.id}`), LEFT, y + 5, { width: 390 })
      .text(text(`${bilingual('column.contentHash')}: ${s.contentHash}`), { width: 390 });
    doc
      .fillColor('#000')
      .fontSize(8)
      .text(text(bilingual('page', { page: i + 1, pages: range.count })), 440, y + 5, { width: 115, align: 'right' });
    doc.page.margins.bottom = bottom;
  }
}
