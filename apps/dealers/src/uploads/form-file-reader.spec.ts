import ExcelJS from 'exceljs';
import { ProblemException } from '@app/platform';
import { readCsv, readWorkbook, uploadKind } from './form-file-reader';
import { EXAMPLE_ROW_MARK, TEMPLATE_SHEETS } from './report-forms';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]);

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof ProblemException ? err.problemStatus : -1;
  }
  return undefined;
}

describe('R-REP-3 file types', () => {
  it('R-REP-3 takes .xlsx workbooks and .csv text, refuses anything else with 415', () => {
    expect(uploadKind('report.xlsx', XLSX_MIME, ZIP)).toBe('xlsx');
    expect(uploadKind('sales.csv', 'text/csv', Buffer.from('a,b\n'))).toBe('csv');
    expect(uploadKind('sales.csv', 'application/vnd.ms-excel', Buffer.from('a,b\n'))).toBe('csv');
    expect(status(() => uploadKind('report.pdf', 'application/pdf', Buffer.from('%PDF')))).toBe(415);
    expect(status(() => uploadKind('report.xlsx', XLSX_MIME, Buffer.from('a,b\n')))).toBe(415);
    expect(
      status(() => uploadKind('report.xls', 'application/vnd.ms-excel', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))),
    ).toBe(415);
    expect(status(() => uploadKind('sales.csv', 'text/csv', Buffer.from([0x61, 0x00, 0x62])))).toBe(415);
  });
});

describe('R-REP-3 reading forms', () => {
  it('R-REP-3 a CSV named after its form, UTF-8 with BOM, rows numbered as in the file, blank lines skipped', () => {
    const { tables, ignored } = readCsv(
      '每月销售统计表.csv',
      Buffer.from('\ufeff销售网点,产品型号 / model,数量,amount\nD001,EB-100,1,10\n\nD001,EB-100,2,20\n'),
    );
    expect(ignored).toEqual([]);
    expect(tables[0].form.id).toBe('sales');
    expect(tables[0].rows).toEqual([
      { row: 2, cells: { outlet: 'D001', model: 'EB-100', units: '1', amount: '10' } },
      { row: 4, cells: { outlet: 'D001', model: 'EB-100', units: '2', amount: '20' } },
    ]);
  });

  it('R-REP-3 a title row above the header is allowed; a form without its columns is named and skipped', () => {
    const titled = readCsv('callbacks.csv', Buffer.from('回访记录 2026年1月\n回访数 / callbacksMade\n3\n'));
    expect(titled.tables[0].rows).toEqual([{ row: 3, cells: { callbacksMade: '3' } }]);
    const missing = readCsv('sales.csv', Buffer.from('outlet,model\nD001,EB-100\n'));
    expect(missing.tables[0].rows).toEqual([]);
    expect(missing.tables[0].errors.map((e) => [e.row, e.column])).toEqual([
      [1, 'units'],
      [1, 'amount'],
    ]);
    expect(readCsv('notes.csv', Buffer.from('x\n1\n')).ignored).toEqual(['notes.csv']);
  });

  it('R-REP-3 workbook sheets by Chinese name or English alias; other sheets ignored; cell types kept', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('repairs').addRows([
      ['维修单号', '机号', '产品型号', '故障', '维修日期', '保修期内', '顾客签字'],
      [
        'T1',
        { richText: [{ text: 'SN-' }, { text: '1' }] },
        'EB-100',
        '异响',
        new Date(Date.UTC(2026, 0, 5)),
        true,
        { formula: '1=1', result: true },
      ],
    ]);
    wb.addWorksheet('Sheet1').addRow(['x']);
    const { tables, ignored } = await readWorkbook('r.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(ignored).toEqual(['Sheet1']);
    expect(tables[0].form.id).toBe('repairs');
    expect(tables[0].rows[0]).toEqual({
      row: 2,
      cells: {
        ticket: 'T1',
        serial: 'SN-1',
        model: 'EB-100',
        fault: '异响',
        repairDate: new Date(Date.UTC(2026, 0, 5)),
        inWarranty: true,
        consumerSigned: true,
      },
    });
  });
});

describe('R-REP-3 what the template adds', () => {
  it("R-REP-3 the template's example row is skipped and counted, its own sheets skipped without a mention", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet(TEMPLATE_SHEETS.instructions).addRow(['填写说明']);
    wb.addWorksheet('每月销售统计表').addRows([
      ['销售网点 / outlet', '产品型号 / model', '数量 / units', '金额 / amount'],
      ['D001', 'EB-100', 12, '23988.00', EXAMPLE_ROW_MARK],
      ['D001', 'EB-100', 1, '1999.00'],
    ]);
    wb.addWorksheet('回访');
    wb.addWorksheet(TEMPLATE_SHEETS.lists).addRow(['D001']);
    const { tables, ignored } = await readWorkbook('t.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(ignored).toEqual([]);
    expect(tables.map((t) => [t.form.id, t.header, t.rows.map((r) => r.row), t.exampleRows, t.errors])).toEqual([
      ['sales', true, [3], 1, []],
      ['callbacks', false, [], 0, []],
    ]);
  });

  it('R-REP-3 only the row right under the header is the example: rows dragged down from it are data', () => {
    const mark = `"${EXAMPLE_ROW_MARK}"`;
    const csv = `outlet,model,units,amount\nD001,EB-100,12,23988.00,${mark}\nS01,EB-200,2,10.00,${mark}\n`;
    const { tables } = readCsv('sales.csv', Buffer.from(csv));
    expect(tables[0].exampleRows).toBe(1);
    expect(tables[0].rows).toEqual([
      { row: 3, cells: { outlet: 'S01', model: 'EB-200', units: '2', amount: '10.00' } },
    ]);
  });

  it('R-REP-3 the example mark counts only outside the form columns', () => {
    const { tables } = readCsv('opinions.csv', Buffer.from(`kind,count\n"${EXAMPLE_ROW_MARK}",1\n`));
    expect(tables[0].rows).toEqual([{ row: 2, cells: { kind: EXAMPLE_ROW_MARK, count: '1' } }]);
    expect(tables[0].exampleRows).toBe(0);
  });

  it('R-REP-3 a CSV file of nothing but a BOM and blanks is an empty file (422 EMPTY_FILE)', () => {
    expect(status(() => readCsv('sales.csv', Buffer.from('\ufeff \r\n\n')))).toBe(422);
    expect(readCsv('sales.csv', Buffer.from('outlet,model,units,amount\n')).tables[0]).toMatchObject({
      header: true,
      rows: [],
      exampleRows: 0,
      errors: [],
    });
  });
});
