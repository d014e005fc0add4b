import ExcelJS from 'exceljs';
import request from 'supertest';
import { Client } from 'pg';
import { Clock } from '@app/platform';
import { people, RunningService, ServiceUnderTest } from '@app/testing';
import { registerDealers, startDealersService } from '../dealers.test-support';

jest.setTimeout(60_000);

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const { financeAlice: finance, auditorAnn: auditor, d001User: d001, d002User: d002 } = people;
const SALES = '每月销售统计表';
const CARDS = '保修回执卡';
const REPAIRS = '维修月报表';

type Auth = { Authorization: string };
type RowErrorBody = { sheet: string; row: number; column: string | null; rule: string; code?: string };

/** Reads a binary body (xlsx) with supertest. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

const rowErrors = (errors: RowErrorBody[]) => errors.map((e) => [e.sheet, e.row, e.column, e.rule]);

describe('R-REP-3 uploads that never pretend (PostgreSQL)', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;

  /** What an upload may write: parts, cards and their batches, outbox events, audit entries. */
  const written = async () =>
    (
      await sql.query(
        `SELECT (SELECT count(*) FROM monthly_report_parts)::int AS parts, (SELECT count(*) FROM warranty_cards)::int AS cards,
                (SELECT count(*) FROM outbox_messages)::int AS events, (SELECT count(*) FROM monthly_reports)::int AS reports`,
      )
    ).rows[0];

  const template = async (auth: Auth, query = ''): Promise<ExcelJS.Workbook> => {
    const res = await request(svc.url).get(`/v1/report-template.xlsx${query}`).set(auth).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    return wb;
  };

  const workbookFile = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

  const upload = (auth: Auth, dealer: string, month: string, files: Array<[Buffer, string]>) => {
    let req = request(svc.url).post(`/v1/dealers/${dealer}/reports/${month}/upload`).set(auth);
    for (const [data, filename] of files) {
      req = req.attach('file', data, {
        filename,
        contentType: filename.endsWith('.csv') ? 'text/csv' : XLSX_MIME,
      });
    }
    return req;
  };

  /** An upload refused with 422 and the code, having written nothing. */
  const refused = async (res: Promise<request.Response>, code: string): Promise<request.Response> => {
    const before = await written();
    const answer = await res;
    expect(answer.status).toBe(422);
    expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 422, code });
    expect(await written()).toEqual(before);
    return answer;
  };

  beforeAll(async () => {
    stack = await startDealersService('int_uploads');
    ({ svc, sql } = stack);
    jest.spyOn(svc.app.get(Clock, { strict: false }), 'now').mockImplementation(() => new Date('2026-02-02T04:00:00Z'));
    await registerDealers(svc.url, finance, ['D001', 'D002']);
    for (const model of ['EB-100', 'EB-200']) {
      await request(svc.url).put(`/v1/product-models/${model}`).set(finance).send({ name: model }).expect(201);
    }
    await request(svc.url)
      .post('/v1/dealers/D001/sub-distributors')
      .set(finance)
      .send({ code: 'S01', name: '余杭分销点' })
      .expect(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('R-REP-3 a 0-byte file answers 422 EMPTY_FILE ("the file is empty"), not "not an XLSX workbook"', async () => {
    for (const name of ['report.xlsx', 'sales.csv']) {
      const res = await refused(upload(d001, 'D001', '2026-01', [[Buffer.alloc(0), name]]), 'EMPTY_FILE');
      expect(res.body.detail).toBe(`The file ${name} is empty; nothing was stored.`);
    }
    await refused(upload(d001, 'D001', '2026-01', [[Buffer.from('\ufeff\n  \n'), 'sales.csv']]), 'EMPTY_FILE');
  });

  it('R-REP-3 the unfilled template answers 422 NO_DATA_ROWS and stores nothing', async () => {
    const wb = await template(d001);
    const res = await refused(upload(d001, 'D001', '2026-01', [[await workbookFile(wb), '月报.xlsx']]), 'NO_DATA_ROWS');
    expect(res.body.detail).toContain(SALES);
    // Header-only forms other than sales submit nothing: alone, they are refused the same way.
    await refused(
      upload(d001, 'D001', '2026-01', [[Buffer.from('回访数 / callbacksMade\n'), 'callbacks.csv']]),
      'NO_DATA_ROWS',
    );
    await refused(
      upload(d001, 'D001', '2026-01', [
        [Buffer.from('维修单号,机号,产品型号,故障,维修日期,保修期内,顾客签字\n'), 'repairs.csv'],
      ]),
      'NO_DATA_ROWS',
    );
  });

  it('R-REP-3 a form missing required columns answers 422 MISSING_COLUMNS naming them', async () => {
    const res = await refused(
      upload(d001, 'D001', '2026-01', [[Buffer.from('outlet,model\nD001,EB-100\n'), 'sales.csv']]),
      'MISSING_COLUMNS',
    );
    expect(res.body.detail).toBe(
      'Required columns are missing, so nothing was stored: sales.csv: 数量 / units, 金额 / amount.',
    );
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        field: 'sales.csv[1].units',
        rule: 'requiredColumn',
        sheet: 'sales.csv',
        row: 1,
        column: 'units',
      }),
      expect.objectContaining({ field: 'sales.csv[1].amount', rule: 'requiredColumn', column: 'amount' }),
    ]);
  });

  it('R-REP-3 rows all refused answer 422 NO_VALID_ROWS listing every error of every row', async () => {
    const csv = 'outlet,model,units,amount\nD 1,EB-100,three,-5\nD001,,1,1.001\n';
    const res = await refused(upload(d001, 'D001', '2026-01', [[Buffer.from(csv), 'sales.csv']]), 'NO_VALID_ROWS');
    expect(rowErrors(res.body.errors)).toEqual([
      ['sales.csv', 2, 'outlet', 'matches'],
      ['sales.csv', 2, 'units', 'isInt'],
      ['sales.csv', 2, 'amount', 'money'],
      ['sales.csv', 3, 'model', 'required'],
      ['sales.csv', 3, 'amount', 'money'],
    ]);
    expect(res.body.errors[1]).toMatchObject({ field: 'sales.csv[2].units', message: 'units must be a whole number' });
  });

  it('R-REP-3 a stored upload lists every error of a bad row too, warranty-card fields included', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('sales').addRows([
      ['outlet', 'model', 'units', 'amount'],
      ['D002', 'EB-100', 1, '1999.00'],
    ]);
    wb.addWorksheet(CARDS).addRows([
      ['serial', 'model', 'saleDate', 'outlet', 'consumerName', 'phone', 'address'],
      ['ALL-BAD-1', 'EB-100', '2026年2月30日', null, '张三', 'abc', null],
      ['GOOD-0001', 'EB-100', '2026年1月9日', null, '李四', '13800138001', '杭州市'],
    ]);
    const res = await upload(d002, 'D002', '2026-01', [[await workbookFile(wb), 'r.xlsx']]);
    expect(res.status).toBe(201);
    expect(res.body.errors.map((e: RowErrorBody) => [e.sheet, e.row, e.column, e.rule, e.code])).toEqual([
      [CARDS, 2, 'saleDate', 'calendarDate', 'INVALID_FIELD'],
      [CARDS, 2, 'phone', 'phone', 'INVALID_FIELD'],
      [CARDS, 2, 'address', 'requiredText', 'INVALID_FIELD'],
    ]);
    expect(res.body.warrantyCards).toMatchObject({ accepted: 1, rejected: 1 });
  });

  it('R-REP-3 R-REP-4 a header-only sales sheet submits the month with zero lines exactly as the JSON endpoint does', async () => {
    const json = await request(svc.url).put('/v1/dealers/D002/reports/2025-12/sales').set(d002).send({ lines: [] });
    expect(json.status).toBe(200);
    const csv = await upload(d001, 'D001', '2025-12', [
      [Buffer.from('\ufeff销售网点,产品型号,数量,金额\n'), 'sales.csv'],
    ]);
    expect(csv.status).toBe(201);
    expect(csv.body.errors).toEqual([]);
    expect(csv.body.forms).toEqual([
      { form: 'sales', sheet: 'sales.csv', rows: 0, accepted: 0, rejected: 0, submitted: true, version: 1 },
    ]);

    const state = async (dealer: string, auth: Auth) => {
      const r = (await request(svc.url).get(`/v1/dealers/${dealer}/reports/2025-12`).set(auth).expect(200)).body;
      // Who sent it and how differ by design; everything else is the same.
      const sales = { ...r.parts.sales, source: undefined, submittedBy: undefined };
      return { ...r, dealerCode: undefined, parts: { ...r.parts, sales } };
    };
    const fromUpload = await state('D001', d001);
    expect(fromUpload).toMatchObject({ status: 'LATE', figures: { unitsSold: 0, salesAmount: '0.00' } });
    expect(fromUpload.parts.sales.content).toEqual({ lines: [] });
    expect(fromUpload).toEqual(await state('D002', d002));

    const events = async (dealer: string) =>
      (
        await sql.query(
          `SELECT type, envelope->'payload' AS p FROM outbox_messages WHERE envelope->'payload'->>'dealerCode' = $1 AND envelope->'payload'->>'month' = '2025-12' ORDER BY id`,
          [dealer],
        )
      ).rows.map((r: { type: string; p: Record<string, unknown> }) => ({
        type: r.type,
        ...r.p,
        dealerCode: undefined,
      }));
    expect(await events('D001')).toEqual(await events('D002'));
    expect(await events('D001')).toEqual([
      expect.objectContaining({ type: 'MonthlyReportSubmitted', part: 'SALES', partVersion: 1 }),
    ]);
  });

  it('R-REP-3 in the template: the sales sheet without its example row submits zero lines, untouched sheets submit nothing', async () => {
    const wb = await template(d002);
    wb.getWorksheet(SALES)!.spliceRows(2, 1);
    const before = await written();
    const res = await upload(d002, 'D002', '2026-01', [[await workbookFile(wb), '月报.xlsx']]);
    expect(res.status).toBe(201);
    const submitted = res.body.forms
      .filter((f: { submitted: boolean }) => f.submitted)
      .map((f: { form: string }) => f.form);
    expect(submitted).toEqual(['sales']);
    expect(res.body.ignored).toEqual([]);
    expect(res.body.report).toMatchObject({
      status: 'SUBMITTED',
      parts: { sales: { version: 2, content: { lines: [] } } },
    });
    expect((await written()).parts).toBe(before.parts + 1);
  });

  it('R-REP-3 dates: Chinese forms, Excel date cells and serial numbers are read; impossible dates refused (calendarDate)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(REPAIRS);
    const row = (ticket: string, date: unknown) => [ticket, `SN-${ticket}`, 'EB-100', '异响', date, '是', '否'];
    ws.addRows([
      ['维修单号', '机号', '产品型号', '故障', '维修日期', '保修期内', '顾客签字'],
      row('T1', '2026年1月3日'),
      row('T2', '2026/1/4'),
      row('T3', '2026-1-5'),
      row('T4', '2026.1.6'),
      row('T5', new Date(Date.UTC(2026, 0, 7))),
      row('T6', 46030), // Excel's serial of 2026-01-08 in a cell without a date format
      row('T7', '2026年1月32日'),
      row('T8', '2026/2/30'),
    ]);
    const res = await upload(d001, 'D001', '2026-01', [[await workbookFile(wb), 'r.xlsx']]);
    expect(res.status).toBe(201);
    expect(rowErrors(res.body.errors)).toEqual([
      [REPAIRS, 8, 'repairDate', 'calendarDate'],
      [REPAIRS, 9, 'repairDate', 'calendarDate'],
    ]);
    expect(res.body.report.parts.repairs.content.records.map((r: { repairDate: string }) => r.repairDate)).toEqual([
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
    ]);
  });

  it("R-REP-3 the template: bilingual instructions, a marked example row, drop-down lists of the dealer's outlets and models", async () => {
    const wb = await template(d001);
    expect(wb.worksheets[0].name).toBe('填写说明 Instructions');
    const instructions = wb.worksheets[0].getSheetValues().flat().join('\n');
    expect(instructions).toContain('本月无销售');
    expect(instructions).toContain('No sales this month');
    expect(instructions).toContain('2026年9月3日');

    const sales = wb.getWorksheet(SALES)!;
    expect(sales.getRow(2).values).toEqual([
      undefined,
      'D001',
      'EB-100',
      12,
      '23988.00',
      '← 示例行，上传时忽略 / example row, ignored on upload',
    ]);
    const validations = (ws: ExcelJS.Worksheet) =>
      (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    const lists = wb.getWorksheet('选项 Lists')!;
    expect(lists.state).toBe('hidden');
    /** The values a list formula such as '选项 Lists'!$A$2:$A$3 points at. */
    const listValues = (ref: string) => {
      const [, col, from, to] = /!\$([A-Z])\$(\d+):\$[A-Z]\$(\d+)$/.exec(ref)!;
      return lists.getColumn(col).values.slice(Number(from), Number(to) + 1);
    };
    const outletList = validations(sales).A3;
    expect(outletList).toMatchObject({ type: 'list', formulae: ["'选项 Lists'!$A$2:$A$3"] });
    expect(listValues(outletList.formulae[0])).toEqual(['D001', 'S01']);
    expect(listValues(validations(sales).B3.formulae[0])).toEqual(['EB-100', 'EB-200']);
    expect(validations(wb.getWorksheet(CARDS)!).D100).toMatchObject({ formulae: ["'选项 Lists'!$A$2:$A$3"] });
    expect(validations(wb.getWorksheet(REPAIRS)!).F3).toMatchObject({ formulae: ['"是,否"'] });

    // A dealer always gets its own outlets; other roles choose the dealer, or get no outlet list.
    const ownOnly = await template(d002, '?dealer=D001');
    expect(ownOnly.getWorksheet(SALES)!.getCell('A2').value).toBe('D002');
    expect(ownOnly.getWorksheet('选项 Lists')!.getColumn(1).values.slice(2)).toEqual(['D002']);
    const forAuditor = await template(auditor, '?dealer=D001');
    expect(forAuditor.getWorksheet('选项 Lists')!.getColumn(1).values.slice(2)).toEqual(['D001', 'S01']);
    const anyDealer = await template(auditor);
    expect(validations(anyDealer.getWorksheet(SALES)!).A3).toBeUndefined();
    expect(validations(anyDealer.getWorksheet(SALES)!).B3).toBeDefined();
    await request(svc.url).get('/v1/report-template.xlsx?dealer=D999').set(auditor).expect(404);
  });
});
