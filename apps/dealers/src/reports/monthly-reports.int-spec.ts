import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { Clock } from '@app/platform';
import { people, eventually, KafkaProbe, MockBroker, RunningService, ServiceUnderTest } from '@app/testing';
import { registerDealers, startDealersService } from '../dealers.test-support';

jest.setTimeout(60_000);

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const { financeAlice: finance, auditorAnn: auditor, d001User: d001, d002User: d002 } = people;

/** Downloads the binary body (xlsx) with supertest. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('monthly reports and form uploads (DOMAIN §3, R-REP-1..3) on PostgreSQL', () => {
  let broker: MockBroker;
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let now = new Date('2026-02-02T04:00:00Z');

  const setNow = (iso: string) => {
    now = new Date(iso);
  };
  const submittedEvents = async (dealer: string, month: string) =>
    (
      await sql.query(
        `SELECT envelope->'payload' AS p FROM outbox_messages WHERE type = 'MonthlyReportSubmitted' AND envelope->'payload'->>'dealerCode' = $1 AND envelope->'payload'->>'month' = $2 ORDER BY id`,
        [dealer, month],
      )
    ).rows.map((r: { p: Record<string, unknown> }) => r.p);

  beforeAll(async () => {
    stack = await startDealersService('int_reports');
    ({ broker, svc, sql } = stack);
    jest.spyOn(svc.app.get(Clock, { strict: false }), 'now').mockImplementation(() => now);
    await registerDealers(svc.url, finance, ['D001', 'D002']);
    await request(svc.url)
      .put('/v1/product-models/EB-100')
      .set(finance)
      .send({ name: '电动自行车 EB-100' })
      .expect(201);
    // D002's terms: report due on the 5th (R-AGR-1); D001 has none (seed default, the 3rd).
    await request(svc.url)
      .post('/v1/dealers/D002/agreements')
      .set(finance)
      .send({
        effectiveFrom: '2026-01-01',
        allowanceBasis: 'PER_CARD',
        settlementMode: 'PAYOUT',
        unitRate: '15.00',
        reportDueDay: 5,
      })
      .expect(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('R-REP-3 serves the template: instructions, one sheet per form, headers in Chinese and English', async () => {
    const res = await request(svc.url).get('/v1/report-template.xlsx').set(d001).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_MIME);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '填写说明 Instructions',
      '每月销售统计表',
      '保修回执卡',
      '维修月报表',
      '每月零件更换清单',
      '顾客满意度调查统计表',
      '顾客意见统计表',
      '质量信息反馈单',
      '回访',
      '选项 Lists',
    ]);
    expect(wb.getWorksheet('每月销售统计表')!.getRow(1).values).toEqual([
      undefined,
      '销售网点 / outlet',
      '产品型号 / model',
      '数量 / units',
      '金额 / amount',
    ]);
  });

  it('R-REP-3 takes the filled template: good rows stored, every bad row named by sheet, row and column, cards judged by R-CARD-1', async () => {
    setNow('2026-02-02T04:00:00Z'); // on time for January (due 2026-02-03 23:59:59 Shanghai)
    const template = await request(svc.url).get('/v1/report-template.xlsx').set(d001).buffer(true).parse(binary);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.body as never);
    const sheet = (name: string) => wb.getWorksheet(name)!;
    // Rows go below each sheet's example row (row 2), which the upload skips: data starts at row 3.
    sheet('每月销售统计表').addRows([
      ['D001', 'EB-100', 3, 5997],
      ['D001', 'EB-100', 'three', 100],
      ['d001', 'eb-200', 1, '1999.5'],
    ]);
    sheet('保修回执卡').addRows([
      ['UPL-0001', 'EB-100', new Date(Date.UTC(2026, 0, 9)), null, '张三', '13800138001', '上海市浦东新区'],
      ['UPL-0002', 'EB-100', new Date(Date.UTC(2026, 0, 10)), null, '李四', 'abc', '杭州市'],
      ['UPL-0001', 'EB-100', '2026-01-11', 'D001', '王五', '13800138002', '南京市'],
      ['UPL-0003', 'XX-999', '2026-01-12', null, '赵六', '13800138003', '苏州市'],
    ]);
    sheet('维修月报表').addRows([
      ['T1', 'SN-1', 'EB-100', '不开机', '2026-01-10', '是', '是', 'P-1', 1],
      ['T2', 'SN-2', 'EB-100', '刹车异响', '2026-01-20', '否', '是'],
      ['T3', 'SN-3', 'EB-100', '异响', '2026-02-01', '否', '是'],
    ]);
    sheet('每月零件更换清单').addRows([
      ['T2', 'P-2', 2],
      ['T9', 'P-1', 1],
    ]);
    sheet('顾客满意度调查统计表').addRow([20, 19]);
    sheet('顾客意见统计表').addRows([
      ['服务态度', 1],
      ['产品质量', 2],
    ]);
    sheet('质量信息反馈单').addRow(['EB-100', 'B2601', '电源板烧毁', 3]);
    sheet('回访').addRow([0]);
    wb.addWorksheet('说明').addRow(['notes of the dealer']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());

    const res = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/upload')
      .set(d001)
      .attach('file', file, { filename: '2026-01 月报.xlsx', contentType: XLSX_MIME });
    expect(res.status).toBe(201);
    const errs = res.body.errors.map((e: { sheet: string; row: number; column: string | null; code?: string }) => [
      e.sheet,
      e.row,
      e.column,
      e.code ?? null,
    ]);
    expect(errs).toEqual(
      expect.arrayContaining([
        ['每月销售统计表', 4, 'units', null],
        ['维修月报表', 5, 'repairDate', null],
        ['每月零件更换清单', 4, 'ticket', null],
        ['保修回执卡', 4, 'phone', 'INVALID_FIELD'],
        ['保修回执卡', 5, 'serial', 'DUPLICATE_SERIAL'],
        ['保修回执卡', 6, 'model', 'UNKNOWN_MODEL'],
      ]),
    );
    expect(res.body.errors).toHaveLength(6);
    expect(res.body.ignored).toEqual(['说明']);
    expect(res.body.warrantyCards).toMatchObject({ accepted: 1, rejected: 3 });
    expect(
      res.body.warrantyCards.results.map((r: { row: number; status: string; code?: string }) => [
        r.row,
        r.status,
        r.code ?? null,
      ]),
    ).toEqual([
      [3, 'ACCEPTED', null],
      [4, 'REJECTED', 'INVALID_FIELD'],
      [5, 'REJECTED', 'DUPLICATE_SERIAL'],
      [6, 'REJECTED', 'UNKNOWN_MODEL'],
    ]);
    expect(res.body.forms.find((f: { form: string }) => f.form === 'sales')).toMatchObject({
      rows: 3,
      accepted: 2,
      rejected: 1,
      submitted: true,
      version: 1,
    });

    const report = await request(svc.url).get('/v1/dealers/D001/reports/2026-01').set(d001).expect(200);
    expect(report.body).toMatchObject({
      status: 'SUBMITTED',
      dueAt: '2026-02-03T15:59:59.000Z',
      firstSubmittedAt: '2026-02-02T04:00:00.000Z',
      flags: ['CALLBACKS_BELOW_MINIMUM'], // R-REP-2: 0 callbacks for 2 repairs
      figures: { unitsSold: 4, salesAmount: '7996.50', repairs: 2, callbacks: 0, surveyed: 20, satisfied: 19 },
    });
    expect(report.body.parts.sales.content.lines).toEqual([
      { outlet: 'D001', model: 'EB-100', units: 3, amount: '5997.00' },
      { outlet: 'D001', model: 'EB-200', units: 1, amount: '1999.50' },
    ]);
    expect(report.body.parts.repairs.content.records).toEqual([
      expect.objectContaining({ ticket: 'T1', inWarranty: true, parts: [{ partNo: 'P-1', quantity: 1 }] }),
      expect.objectContaining({
        ticket: 'T2',
        inWarranty: false,
        consumerSigned: true,
        parts: [{ partNo: 'P-2', quantity: 2 }],
      }),
    ]);
    expect(report.body.parts.qualityFeedback.content).toEqual({
      lines: [{ model: 'EB-100', batch: 'B2601', problem: '电源板烧毁', unitsAffected: 3 }],
    });
    expect(report.body.parts.sales.source).toBe('UPLOAD');
    const cards = await sql.query(
      `SELECT serial FROM warranty_cards WHERE dealer_code = 'D001' AND report_month = '2026-01' AND status = 'ACCEPTED'`,
    );
    expect(cards.rows).toEqual([{ serial: 'UPL-0001' }]);
    const events = await submittedEvents('D001', '2026-01');
    expect(events.map((e) => e.part).sort()).toEqual([
      'CALLBACKS',
      'OPINIONS',
      'QUALITY_FEEDBACK',
      'REPAIRS',
      'SALES',
      'SATISFACTION',
    ]);
    expect(events[0]).toMatchObject({
      unitsSold: 4,
      repairs: 2,
      callbacks: 0,
      surveyed: 20,
      satisfied: 19,
      callbacksBelowMinimum: true,
      onTime: true,
      firstSubmittedAt: '2026-02-02T04:00:00.000Z',
      dueAt: '2026-02-03T15:59:59.000Z',
      partVersion: 1,
    });
  });

  it('R-REP-1 R-REP-3 CSV files resubmit parts as new versions; every version is kept and the latest counts', async () => {
    setNow('2026-02-10T02:00:00Z'); // after the due time: the report stays SUBMITTED (its first submission was on time)
    const res = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/upload')
      .set(d001)
      .attach('files', Buffer.from('\ufeffoutlet,model,units,amount\nD001,EB-100,5,"9,995.00"\nD001,EB-100,,1\n'), {
        filename: 'sales.csv',
        contentType: 'text/csv',
      })
      .attach('files', Buffer.from('回访数 / callbacksMade\n1\n'), {
        filename: 'callbacks.csv',
        contentType: 'text/csv',
      });
    expect(res.status).toBe(201);
    expect(res.body.errors).toEqual([
      { sheet: 'sales.csv', row: 3, column: 'units', rule: 'required', reason: 'units is required' },
    ]);
    expect(res.body.forms).toEqual([
      expect.objectContaining({ form: 'sales', accepted: 1, rejected: 1, version: 2 }),
      expect.objectContaining({ form: 'callbacks', accepted: 1, version: 2 }),
    ]);
    expect(res.body.report).toMatchObject({
      status: 'SUBMITTED',
      flags: [],
      figures: { unitsSold: 5, salesAmount: '9995.00', repairs: 2, callbacks: 1 },
    });

    const versions = await request(svc.url)
      .get('/v1/dealers/D001/reports/2026-01/sales/versions')
      .set(auditor)
      .expect(200);
    expect(versions.body.map((v: { version: number; source: string }) => [v.version, v.source])).toEqual([
      [1, 'UPLOAD'],
      [2, 'UPLOAD'],
    ]);
    expect(versions.body[0].content.lines).toHaveLength(2);
    expect(versions.body[1].content.lines).toEqual([{ outlet: 'D001', model: 'EB-100', units: 5, amount: '9995.00' }]);

    // JSON per part: a third version of the callbacks, published with the latest figures.
    const put = await request(svc.url)
      .put('/v1/dealers/D001/reports/2026-01/callbacks')
      .set(d001)
      .send({ callbacksMade: 0 });
    expect(put.status).toBe(200);
    expect(put.body.flags).toEqual(['CALLBACKS_BELOW_MINIMUM']);
    const last = (await submittedEvents('D001', '2026-01')).pop()!;
    expect(last).toMatchObject({
      part: 'CALLBACKS',
      partVersion: 3,
      unitsSold: 5,
      callbacks: 0,
      callbacksBelowMinimum: true,
      onTime: true,
    });
    const callbackVersions = await request(svc.url)
      .get('/v1/dealers/D001/reports/2026-01/callbacks/versions')
      .set(finance)
      .expect(200);
    expect(callbackVersions.body.map((v: { content: { callbacksMade: number } }) => v.content.callbacksMade)).toEqual([
      0, 1, 0,
    ]);
  });

  it('R-REP-3 refuses a file over the size limit with 413 and anything not XLSX/CSV with 415, storing nothing', async () => {
    const before = await sql.query(`SELECT count(*)::int AS n FROM monthly_report_parts`);
    const big = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/upload')
      .set(d001)
      .attach('file', Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), { filename: 'big.csv', contentType: 'text/csv' });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ status: 413, code: 'FILE_TOO_LARGE' });
    const pdf = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/upload')
      .set(d001)
      .attach('file', Buffer.from('%PDF-1.4'), { filename: 'report.pdf', contentType: 'application/pdf' });
    expect(pdf.status).toBe(415);
    expect(pdf.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_FILE_TYPE' });
    expect(pdf.headers['content-type']).toMatch(/application\/problem\+json/);
    const fakeXlsx = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/upload')
      .set(d001)
      .attach('file', Buffer.from('outlet,model\n'), { filename: 'report.xlsx', contentType: XLSX_MIME });
    expect(fakeXlsx.status).toBe(415);
    const json = await request(svc.url).post('/v1/dealers/D001/reports/2026-01/upload').set(d001).send({ sales: [] });
    expect(json.status).toBe(415);
    // An upload cannot be compared with its retry, so an Idempotency-Key on it is refused, not replayed.
    const keyed = await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/upload')
      .set(d001)
      .set('Idempotency-Key', 'upload-1')
      .attach('file', Buffer.from('回访数 / callbacksMade\n1\n'), {
        filename: 'callbacks.csv',
        contentType: 'text/csv',
      });
    expect(keyed.status).toBe(400);
    expect(keyed.body.errors[0]).toMatchObject({ field: 'Idempotency-Key', rule: 'unsupported' });
    const after = await sql.query(`SELECT count(*)::int AS n FROM monthly_report_parts`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('LATE when the sales statistics first come after the due time of the terms in force (controlled clock)', async () => {
    // D002: due on the 5th (its agreement); the last second of the due day is on time.
    setNow('2026-02-05T15:59:59Z');
    const onTime = await request(svc.url)
      .put('/v1/dealers/D002/reports/2026-01')
      .set(d002)
      .send({ sales: { lines: [] }, satisfaction: { surveyed: 0, satisfied: 0 } });
    expect(onTime.status).toBe(200);
    expect(onTime.body).toMatchObject({
      status: 'SUBMITTED',
      dueAt: '2026-02-05T15:59:59.000Z',
      figures: { unitsSold: 0, salesAmount: '0.00' },
    });
    // D001, December (default due day 3): first sales on 4 January Shanghai time is late.
    setNow('2026-01-03T16:00:00Z');
    const repairsFirst = await request(svc.url)
      .put('/v1/dealers/D001/reports/2025-12/repairs')
      .set(d001)
      .send({
        records: [
          {
            ticket: 'T-1',
            serial: 'SN-9',
            model: 'EB-100',
            fault: '异响',
            repairDate: '2025-12-20',
            inWarranty: true,
            parts: [{ partNo: 'P-1', quantity: 1 }],
            consumerSigned: true,
          },
        ],
      });
    expect(repairsFirst.body).toMatchObject({
      status: 'NOT_SUBMITTED',
      firstSubmittedAt: null,
      flags: ['CALLBACKS_BELOW_MINIMUM'],
    });
    const late = await request(svc.url)
      .put('/v1/dealers/D001/reports/2025-12/sales')
      .set(d001)
      .send({ lines: [{ outlet: 'D001', model: 'EB-100', units: 2, amount: '3998' }] });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({
      status: 'LATE',
      dueAt: '2026-01-03T15:59:59.000Z',
      firstSubmittedAt: '2026-01-03T16:00:00.000Z',
    });
    const [event] = (await submittedEvents('D001', '2025-12')).slice(-1);
    expect(event).toMatchObject({
      part: 'SALES',
      onTime: false,
      unitsSold: 2,
      repairs: 1,
      callbacksBelowMinimum: true,
    });

    const lateList = await request(svc.url).get('/v1/reports?status=LATE').set(auditor).expect(200);
    expect(lateList.body.items.map((r: { dealerCode: string; month: string }) => `${r.dealerCode}/${r.month}`)).toEqual(
      ['D001/2025-12'],
    );
  });

  it('R-REP-1 concurrent submissions of one part each become their own version, numbered without gaps', async () => {
    setNow('2026-02-10T02:00:00Z');
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        request(svc.url)
          .put('/v1/dealers/D002/reports/2026-01/opinions')
          .set(d002)
          .send({ lines: [{ kind: '服务态度', count: n }] }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const versions = await request(svc.url)
      .get('/v1/dealers/D002/reports/2026-01/opinions/versions')
      .set(d002)
      .expect(200);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4, 5]);
    expect(
      versions.body.map((v: { content: { lines: Array<{ count: number }> } }) => v.content.lines[0].count).sort(),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses bad parts with a problem naming the field, and months after the current Shanghai month', async () => {
    setNow('2026-02-10T02:00:00Z');
    const sat = await request(svc.url)
      .put('/v1/dealers/D002/reports/2026-01')
      .set(d002)
      .send({ satisfaction: { surveyed: 5, satisfied: 6 } });
    expect(sat.status).toBe(400);
    expect(sat.body.errors).toEqual([expect.objectContaining({ field: 'satisfaction.satisfied' })]);
    const units = await request(svc.url)
      .put('/v1/dealers/D002/reports/2026-01/sales')
      .set(d002)
      .send({ lines: [{ outlet: 'D002', model: 'EB-100', units: -1, amount: '1.00' }] });
    expect(units.status).toBe(400);
    expect(units.body.errors[0].field).toBe('lines[0].units');
    const empty = await request(svc.url).put('/v1/dealers/D002/reports/2026-01').set(d002).send({});
    expect(empty.status).toBe(400);
    const future = await request(svc.url)
      .put('/v1/dealers/D002/reports/2026-03/callbacks')
      .set(d002)
      .send({ callbacksMade: 1 });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('REPORT_MONTH_NOT_STARTED');
  });

  it('a dealer reaches only its own reports (404), auditors only read, lists are filtered and paginated', async () => {
    await request(svc.url).get('/v1/dealers/D001/reports/2026-01').set(d002).expect(404);
    await request(svc.url).get('/v1/dealers/D001/reports/2026-01/sales/versions').set(d002).expect(404);
    await request(svc.url)
      .put('/v1/dealers/D001/reports/2026-01/callbacks')
      .set(d002)
      .send({ callbacksMade: 1 })
      .expect(404);
    await request(svc.url)
      .post('/v1/dealers/D001/reports/2026-01/upload')
      .set(d002)
      .attach('file', Buffer.from('回访数\n1\n'), { filename: 'callbacks.csv', contentType: 'text/csv' })
      .expect(404);
    await request(svc.url)
      .put('/v1/dealers/D001/reports/2026-01/callbacks')
      .set(auditor)
      .send({ callbacksMade: 1 })
      .expect(403);
    await request(svc.url).get('/v1/dealers/D001/reports/2026-01/warranty/versions').set(d001).expect(404);

    const page1 = await request(svc.url).get('/v1/reports?month=2026-01&limit=1').set(finance).expect(200);
    expect(page1.body.items.map((r: { dealerCode: string; status: string }) => [r.dealerCode, r.status])).toEqual([
      ['D001', 'SUBMITTED'],
    ]);
    const page2 = await request(svc.url)
      .get(`/v1/reports?month=2026-01&limit=1&cursor=${page1.body.nextCursor}`)
      .set(finance)
      .expect(200);
    expect(page2.body).toMatchObject({ items: [{ dealerCode: 'D002', status: 'SUBMITTED' }], nextCursor: null });
    const notSubmitted = await request(svc.url)
      .get('/v1/reports?month=2025-11&status=NOT_SUBMITTED')
      .set(auditor)
      .expect(200);
    expect(notSubmitted.body.items.map((r: { dealerCode: string }) => r.dealerCode)).toEqual(['D001', 'D002']);
    const own = await request(svc.url).get('/v1/reports?dealer=D001').set(d002).expect(200);
    expect(new Set(own.body.items.map((r: { dealerCode: string }) => r.dealerCode))).toEqual(new Set(['D002']));
  });

  it('CLOSED: once settlement approves the quarter (QuarterApproved) the report refuses every change with 409 REPORT_CLOSED', async () => {
    const probe = new KafkaProbe(broker.brokers);
    try {
      await probe.publish(
        Topics.settlement,
        'D001',
        JSON.stringify({
          eventId: randomUUID(),
          type: 'QuarterApproved',
          version: 1,
          occurredAt: new Date().toISOString(),
          producer: 'settlement',
          dealerCode: 'D001',
          correlationId: randomUUID(),
          causationId: null,
          payload: {
            dealerCode: 'D001',
            quarter: '2025-Q4',
            statementId: randomUUID(),
            months: ['2025-10', '2025-11', '2025-12'],
            approvedBy: 'finance-alice',
            approvedAt: new Date().toISOString(),
          },
        }),
      );
    } finally {
      await probe.close();
    }
    await eventually(
      async () =>
        (await sql.query(`SELECT 1 FROM closed_months WHERE dealer_code = 'D001' AND month = '2025-12'`)).rowCount
          ? true
          : undefined,
      30_000,
    );
    const get = await request(svc.url).get('/v1/dealers/D001/reports/2025-12').set(finance).expect(200);
    expect(get.body.status).toBe('CLOSED');
    const put = await request(svc.url)
      .put('/v1/dealers/D001/reports/2025-12/callbacks')
      .set(d001)
      .send({ callbacksMade: 1 });
    expect(put.status).toBe(409);
    expect(put.body.code).toBe('REPORT_CLOSED');
    const upload = await request(svc.url)
      .post('/v1/dealers/D001/reports/2025-12/upload')
      .set(d001)
      .attach('file', Buffer.from('callbacksMade\n1\n'), { filename: 'callbacks.csv', contentType: 'text/csv' });
    expect(upload.status).toBe(409);
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n FROM monthly_report_parts WHERE dealer_code = 'D001' AND month = '2025-12' AND part = 'CALLBACKS'`,
    );
    expect(rows[0].n).toBe(0);
  });
});
