import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import {
  dealerRegisteredPayload,
  eventually,
  people,
  publishDealers,
  useServiceUnderTest,
  workedExampleTerms,
} from '@app/testing';
import type { KafkaProbe, RunningService } from '@app/testing';
import { formatMoney, sumMoney } from '@app/kernel';
import { SETTLEMENT_DEFAULTS } from '@app/platform';
import { SettlementAppModule } from '../settlement-app.module';
import {
  download,
  listStatementsOf,
  publishCards,
  publishSalesReports,
  runQuarterUntilDone,
} from '../settlement.test-support';
import { pdfPages } from './pdf-text.test-support';

jest.setTimeout(120_000);

const { financeAlice: alice, financeBob: bob, auditorCarol: auditor, d001, d002 } = people;
const MONTHS = ['2026-01', '2026-02', '2026-03'];

/** A CSV body as records of fields (the exports quote no line breaks, so CRLF ends every record). */
function records(body: Buffer): string[][] {
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = body.subarray(3).toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) =>
      line
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
        .slice(0, -1)
        .map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')),
    );
}

describe('statement and ledger exports over HTTP: CSV, PDF, roles (R-SET-8, R-SET-9)', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  let d1: { id: string };
  let d2: { id: string };

  useServiceUnderTest('settlement', SettlementAppModule, 'int_settlement_exports', async (stack) => {
    ({ svc, sql, probe } = stack);
    await publishDealers(probe, [
      { code: 'D001', terms: workedExampleTerms() },
      { code: 'D002', terms: workedExampleTerms({ settlementMode: 'PAYOUT' }) },
    ]);
    await probe.publishEvent(
      Topics.dealerRegistry,
      'DealerRegistered',
      'D001',
      dealerRegisteredPayload('D001', { name: '上海永安车行' }),
    );
    for (const dealer of ['D001', 'D002']) await publishSalesReports(probe, dealer, MONTHS);
    await publishCards(probe, 'D001', '2026-01', 100);
    await publishCards(probe, 'D001', '2026-02', 80);
    await publishCards(probe, 'D002', '2026-01', 10);
    await eventually(async () => {
      const { rows } = await sql.query(
        `SELECT (SELECT count(*)::int FROM card_facts) AS cards, (SELECT count(*)::int FROM report_submissions) AS reports,
                (SELECT count(*)::int FROM known_agreements) AS agreements, (SELECT name FROM known_dealers WHERE code = 'D001') AS name`,
      );
      const r = rows[0];
      return r.cards === 190 && r.reports === 6 && r.agreements === 2 && r.name === '上海永安车行' ? true : undefined;
    }, 30_000);
    await runQuarterUntilDone(svc.url, '2026-Q1', alice, 30_000);
    [d1] = await listStatementsOf(svc.url, 'D001', '2026-Q1');
    [d2] = await listStatementsOf(svc.url, 'D002', '2026-Q1');
    await request(svc.url).post(`/v1/statements/${d1.id}/approve`).set(bob).expect(200);
    await request(svc.url).post(`/v1/statements/${d1.id}/post`).set(bob).expect(200);
  });

  it('R-SET-9 a dealer downloads its own statement lines as CSV (UTF-8 BOM, bilingual header), never another dealer’s', async () => {
    const res = await download(svc.url, `/v1/statements/${d1.id}/export.csv`, d001).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="statement-D001-2026-Q1.csv"');
    const [header, ...rows] = records(res.body as Buffer);
    expect(header.slice(0, 4)).toEqual(['经销商 Dealer', '结算季度 Quarter', '序号 No.', '规则 Rule']);
    expect(header[11]).toBe('金额（元） Amount (CNY)');
    const accruals = rows.filter((r) => r[3] === 'R-SET-3').map((r) => [r[0], r[5], r[7], r[8], r[11], r[12]]);
    expect(accruals).toEqual([
      ['D001', '2026-01', '100', '15.00', '1500.00', '是 yes'],
      ['D001', '2026-02', '80', '15.00', '1200.00', '是 yes'],
    ]);
    await request(svc.url).get(`/v1/statements/${d1.id}/export.csv`).set(d002).expect(404);
    await request(svc.url).get(`/v1/statements/${d2.id}/export.csv`).set(d002).expect(200);
  });

  it('R-SET-9 auditors and finance download every statement of the quarter as CSV with the dealers’ names; dealers may not', async () => {
    for (const who of [auditor, alice]) {
      const res = await download(svc.url, '/v1/settlements/2026-Q1/export.csv', who).expect(200);
      const [header, ...rows] = records(res.body as Buffer);
      expect(header.slice(0, 4)).toEqual([
        '经销商 Dealer',
        '经销商名称 Dealer name',
        '结算季度 Quarter',
        '状态 Status',
      ]);
      expect(rows.map((r) => r.slice(0, 4))).toEqual([
        ['D001', '上海永安车行', '2026-Q1', '已过账 Posted'],
        ['D002', 'Dealer D002', '2026-Q1', '草稿 Draft'],
      ]);
      expect(rows[0][8]).toBe('2700.00');
    }
    await request(svc.url).get('/v1/settlements/2026-Q1/export.csv').set(d001).expect(403);
    const bad = await request(svc.url).get('/v1/settlements/2026-Q5/export.csv').set(auditor).expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('R-SET-8 auditors download the ledger as CSV, balanced, filtered, times in Asia/Shanghai; dealers may not', async () => {
    const res = await download(svc.url, '/v1/ledger/export.csv?dealer=D001&quarter=2026-Q1', auditor).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="ledger-D001-2026-Q1.csv"');
    const [header, ...rows] = records(res.body as Buffer);
    expect(header).toEqual([
      '分录编号 Entry id',
      '结算单编号 Statement id',
      '经销商 Dealer',
      '结算季度 Quarter',
      '科目 Account',
      '借方（元） Debit (CNY)',
      '贷方（元） Credit (CNY)',
      '摘要 Memo',
      '过账时间 (+08:00) Posted at (+08:00)',
    ]);
    const { rows: stored } = await sql.query(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE dealer_code = 'D001'`,
    );
    expect(rows).toHaveLength(stored[0].n);
    expect(
      rows.every((r) => r[1] === d1.id && r[2] === 'D001' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/.test(r[8])),
    ).toBe(true);
    const sum = (i: number) => formatMoney(sumMoney(rows.map((r) => r[i])));
    expect(sum(5)).toBe(sum(6));
    expect(sum(5)).not.toBe('0.00');
    const none = await download(svc.url, '/v1/ledger/export.csv?dealer=D002', alice).expect(200);
    expect(records(none.body as Buffer)).toHaveLength(1);
    await request(svc.url).get('/v1/ledger/export.csv').set(d001).expect(403);
    await request(svc.url).get('/v1/ledger/export.csv?quarter=2026-13').set(auditor).expect(400);
  });

  it('R-SET-9 the PDF names the dealer from the projection and the configured manufacturer; Swagger documents the CSV routes', async () => {
    const pdf = await download(svc.url, `/v1/statements/${d1.id}/export.pdf`, d001).expect(200);
    const text = pdfPages(pdf.body as Buffer).join('\n');
    expect(text).toContain('经销商 Dealer: 上海永安车行 (D001)');
    expect(text).toContain(`制造商 Manufacturer: ${SETTLEMENT_DEFAULTS.manufacturer.name}`);
    expect(text).toContain('审批 Approved: ');
    expect(text).toContain('2,700.00');
    await request(svc.url).get(`/v1/statements/${d1.id}/export.pdf`).set(d002).expect(404);
    const spec = (await request(svc.url).get('/docs-json').expect(200)).body;
    for (const path of [
      '/v1/statements/{id}/export.csv',
      '/v1/settlements/{quarter}/export.csv',
      '/v1/ledger/export.csv',
    ]) {
      expect(spec.paths[path].get.summary).toEqual(expect.any(String));
      expect(Object.keys(spec.paths[path].get.responses['200'].content)).toEqual(['text/csv; charset=utf-8']);
    }
  });
});
