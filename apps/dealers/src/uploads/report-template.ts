import ExcelJS from 'exceljs';
import { columnHeader, REPORT_FORMS } from './report-forms';

/**
 * The upload template (R-REP-3): one sheet per form, named as on the manufacturer's paper
 * forms, with a header row in Chinese and English (`产品型号 / model`). Row 1 is the header;
 * dealers fill from row 2. Optional columns are marked in the header's note.
 */
export async function buildReportTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'dealers service';
  for (const form of REPORT_FORMS) {
    const ws = wb.addWorksheet(form.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = form.columns.map((c) => ({
      header: columnHeader(c),
      key: c.key,
      width: Math.max(14, columnHeader(c).length + 6),
    }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    form.columns.forEach((c, i) => {
      if (!c.required) header.getCell(i + 1).note = '可选 / optional';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
