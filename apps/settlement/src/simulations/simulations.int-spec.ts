import ExcelJS from 'exceljs';
import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { dec, formatMoney, sumMoney } from '@app/kernel';
import {
  eventually,
  fingerprintChanges,
  KafkaProbe,
  people,
  RunningService,
  tableFingerprint,
  useServiceUnderTest,
} from '@app/testing';
import { SettlementAppModule } from '../settlement-app.module';
import {
  download,
  listStatementsOf,
  publishWorkedExample,
  runQuarterUntilDone,
  WORKED_EXAMPLE_TERMS,
} from '../settlement.test-support';

jest.setTimeout(180_000);

const { financeAlice: alice, financeBob: bob, auditorCarol: auditor } = people;
const QUARTERS = { fromQuarter: '2026-Q1', toQuarter: '2026-Q2' };

/**
 * What-if on proposed terms over DOMAIN §8's worked example, both quarters posted: the engine of
 * the run, statements and ledger untouched.
 */
describe('simulations on the worked example (R-AGR-1 terms, R-SET-4 chaining)', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  let consumed = 0;

  const publish = async (topic: string, type: string, payload: Record<string, unknown>) => {
    await probe.publishEvent(topic, type, String(payload.dealerCode ?? payload.code), payload);
    consumed += 1;
  };

  async function simulate(body: Record<string, unknown>): Promise<any> {
    const started = await request(svc.url).post('/v1/simulations').set(alice).send(body).expect(202);
    expect(started.body).toMatchObject({ status: 'RUNNING', quarters: ['2026-Q1', '2026-Q2'] });
    return eventually(async () => {
      const res = await request(svc.url).get(`/v1/simulations/${started.body.id}`).set(auditor).expect(200);
      return res.body.status === 'RUNNING' ? undefined : res.body;
    }, 60_000);
  }

  const resultsOf = async (id: string): Promise<any[]> =>
    (await request(svc.url).get(`/v1/simulations/${id}/results`).set(auditor).expect(200)).body.items;

  useServiceUnderTest('settlement', SettlementAppModule, 'int_settlement_simulations', async (stack) => {
    ({ svc, sql, probe } = stack);
    await publishWorkedExample(publish);
    await publish(Topics.dealerRegistry, 'DealerRegistered', {
      code: 'D003',
      name: 'D003',
      region: 'East',
      status: 'ACTIVE',
    });
    await eventually(async () => {
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM consumed_events`);
      return rows[0].n >= consumed ? true : undefined;
    }, 30_000);
    for (const quarter of ['2026-Q1', '2026-Q2']) {
      expect(await runQuarterUntilDone(svc.url, quarter, alice, 60_000)).toMatchObject({ status: 'DONE' });
      const [s] = await listStatementsOf(svc.url, 'D001', quarter);
      await request(svc.url).post(`/v1/statements/${s.id}/approve`).set(bob).expect(200);
      await request(svc.url).post(`/v1/statements/${s.id}/post`).set(bob).expect(200);
    }
  });

  it('with the dealer’s own terms reproduces every posted statement to the fen and writes no statement or ledger row', async () => {
    // The set-up's events are relayed first: marking them published is not the simulation's doing.
    await eventually(async () => {
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE published_at IS NULL`);
      return rows[0].n === 0 ? true : undefined;
    }, 30_000);
    const before = await tableFingerprint(sql);
    const done = await simulate({ dealerCodes: ['D001'], ...QUARTERS, terms: WORKED_EXAMPLE_TERMS });
    expect(done).toMatchObject({ status: 'DONE', dealersTotal: 1, dealersDone: 1, errors: [] });
    const changed = fingerprintChanges(before, await tableFingerprint(sql)).map((c) => c.split(':')[0]);
    expect(
      changed.filter((t) => !['simulations', 'simulation_results', 'audit_log', 'audit_chain_head'].includes(t)),
    ).toEqual([]);

    const posted = (
      await sql.query(
        `SELECT id, dealer_code, trim(quarter) AS quarter, closing::text FROM statements WHERE status = 'POSTED'`,
      )
    ).rows;
    expect(posted).toHaveLength(2);
    const results = await resultsOf(done.id);
    expect(results).toEqual(
      posted
        .sort((a, b) => a.quarter.localeCompare(b.quarter))
        .map((s) => ({
          dealerCode: s.dealer_code,
          quarter: s.quarter,
          statementId: s.id,
          statementStatus: 'POSTED',
          actualClosing: s.closing,
          simulatedOpening: s.quarter === '2026-Q1' ? '0.00' : '3295.00',
          simulatedClosing: s.closing,
          difference: '0.00',
          changedLines: [],
        })),
    );
    expect(results.map((r) => r.actualClosing)).toEqual(['3295.00', '-412.50']);
    expect(done.totals.map((t: any) => [t.quarter, t.difference, t.dealersChanged])).toEqual([
      ['2026-Q1', '0.00', 0],
      ['2026-Q2', '0.00', 0],
    ]);
  });

  it('a per-card allowance of 18.00 instead of 15.00 adds 924.00 in Q1, chained into Q2’s opening', async () => {
    // Q1: 328 EB-100 cards counted (100 + 80 + 148) × 3.00 = 984.00 more accrual; the 2 falsified
    // cards cost 10 × the unit rate each: 2 × 10 × 3.00 = 60.00 more penalty → +924.00.
    const done = await simulate({
      dealerCodes: ['D001'],
      ...QUARTERS,
      terms: { ...WORKED_EXAMPLE_TERMS, unitRate: '18.00' },
    });
    expect(done).toMatchObject({ status: 'DONE', errors: [] });
    const [q1, q2] = await resultsOf(done.id);
    expect(q1).toMatchObject({ actualClosing: '3295.00', simulatedClosing: '4219.00', difference: '924.00' });
    const moneyChanged = q1.changedLines.filter((l: any) => l.difference !== '0.00');
    expect(formatMoney(sumMoney(moneyChanged.map((l: any) => l.difference)))).toBe('924.00');
    expect(
      moneyChanged
        .filter((l: any) => l.kind === 'ALLOWANCE_ACCRUAL')
        .map((l: any) => [l.ruleId, l.period, l.actualAmount, l.simulatedAmount]),
    ).toEqual([
      ['R-SET-3', '2026-01', '1500.00', '1800.00'],
      ['R-SET-3', '2026-02', '1200.00', '1440.00'],
      ['R-SET-3', '2026-03', '2220.00', '2664.00'],
    ]);
    const penalties = moneyChanged.filter((l: any) => l.kind === 'FAKE_CARD_PENALTY');
    expect(formatMoney(sumMoney(penalties.map((l: any) => l.difference)))).toBe('-60.00');
    // Q2 has no card: its lines stand, only the opening moves.
    expect(q2).toMatchObject({
      actualClosing: '-412.50',
      simulatedOpening: '4219.00',
      simulatedClosing: '511.50',
      difference: '924.00',
      changedLines: [],
    });
    expect(done.totals.map((t: any) => [t.quarter, t.actualClosing, t.simulatedClosing, t.difference])).toEqual([
      ['2026-Q1', '3295.00', '4219.00', '924.00'],
      ['2026-Q2', '-412.50', '511.50', '924.00'],
    ]);
    expect(dec(q2.simulatedClosing).minus(q2.actualClosing).toFixed(2)).toBe(q2.difference);

    const xlsx = await download(svc.url, `/v1/simulations/${done.id}/export.xlsx`, auditor).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '按季度合计 Totals by quarter',
      '经销商 Dealers',
      '变动明细 Changed lines',
    ]);
    const totals = wb.worksheets[0];
    expect(totals.getRow(2).getCell(1).value).toBe('2026-Q1');
    expect(totals.getRow(2).getCell(7).value).toBe(924);
  });

  it('a quarter without a statement: actual closing and difference null, counted apart in the totals', async () => {
    const started = await request(svc.url)
      .post('/v1/simulations')
      .set(alice)
      .send({ dealerCodes: ['D001'], fromQuarter: '2026-Q2', toQuarter: '2026-Q3', terms: WORKED_EXAMPLE_TERMS })
      .expect(202);
    const done = await eventually(async () => {
      const res = await request(svc.url).get(`/v1/simulations/${started.body.id}`).set(auditor).expect(200);
      return res.body.status === 'RUNNING' ? undefined : res.body;
    }, 60_000);
    const [q2, q3] = await resultsOf(done.id);
    expect(q2).toMatchObject({ quarter: '2026-Q2', actualClosing: '-412.50', difference: '0.00' });
    expect(q3).toMatchObject({
      quarter: '2026-Q3',
      statementId: null,
      statementStatus: null,
      actualClosing: null,
      difference: null,
      simulatedOpening: '0.00',
      changedLines: [],
    });
    expect(done.totals[1]).toMatchObject({
      quarter: '2026-Q3',
      dealers: 1,
      dealersWithoutStatement: 1,
      actualClosing: '0.00',
      simulatedClosing: q3.simulatedClosing,
      difference: '0.00',
    });
    const page = await request(svc.url)
      .get(`/v1/simulations/${done.id}/results`)
      .query({ quarter: '2026-Q3' })
      .set(auditor)
      .expect(200);
    expect(page.body.items.map((r: any) => r.quarter)).toEqual(['2026-Q3']);
  });

  it('lists simulations newest first, for finance and auditors; a dealer is refused', async () => {
    const list = await request(svc.url).get('/v1/simulations').set(auditor).expect(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(2);
    const times = list.body.items.map((s: any) => s.startedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const page = await request(svc.url).get('/v1/simulations').query({ limit: 1 }).set(alice).expect(200);
    const next = await request(svc.url)
      .get('/v1/simulations')
      .query({ limit: 1, cursor: page.body.nextCursor })
      .set(alice)
      .expect(200);
    expect(next.body.items[0].id).toBe(list.body.items[1].id);
    await request(svc.url).get('/v1/simulations').set(people.d001).expect(403);
    await request(svc.url).get(`/v1/simulations/${list.body.items[0].id}`).set(people.d001).expect(403);
    const body = { dealerCodes: ['D001'], ...QUARTERS, terms: WORKED_EXAMPLE_TERMS };
    await request(svc.url).post('/v1/simulations').set(people.d001).send(body).expect(403);
    await request(svc.url).post('/v1/simulations').set(auditor).send(body).expect(403);
    await request(svc.url).get('/v1/simulations/0d9c7a3e-5b1f-4e2a-9c8d-7e6f5a4b3c2d').set(auditor).expect(404);
  });

  it.each<[string, string, Record<string, unknown>]>([
    [
      'PER_CARD terms without a unit rate',
      'terms.unitRate',
      { terms: { ...WORKED_EXAMPLE_TERMS, unitRate: undefined } },
    ],
    ['a malformed rate', 'terms.unitRate', { terms: { ...WORKED_EXAMPLE_TERMS, unitRate: '1.234' } }],
    ['a quarter after the current one', 'toQuarter', { toQuarter: '2099-Q4' }],
    ['a reversed range', 'fromQuarter', { fromQuarter: '2026-Q2', toQuarter: '2026-Q1' }],
    ['more than 8 quarters', 'toQuarter', { fromQuarter: '2024-Q1', toQuarter: '2026-Q2' }],
    ['an unknown dealer', 'dealerCodes[1]', { dealerCodes: ['D001', 'D999'] }],
    ['a region without dealers with an agreement', 'region', { dealerCodes: undefined, region: 'East' }],
    ['both dealers and a region', 'dealerCodes', { region: 'East' }],
  ])('refuses %s with a 400 naming %s, in English and Chinese, and keeps nothing', async (_what, field, change) => {
    const body = { dealerCodes: ['D001'], ...QUARTERS, terms: WORKED_EXAMPLE_TERMS, ...change };
    const before = (await sql.query(`SELECT count(*)::int AS n FROM simulations`)).rows[0].n;
    const res = await request(svc.url).post('/v1/simulations').set(alice).send(body).expect(400);
    const en = res.body.errors.find((e: any) => e.field === field);
    expect(en).toBeDefined();
    const zh = await request(svc.url).post('/v1/simulations').set(alice).set('Accept-Language', 'zh-CN').send(body);
    expect(zh.status).toBe(400);
    const zhMessage = zh.body.errors.find((e: any) => e.field === field).message;
    expect(zhMessage).not.toBe(en.message);
    expect(zhMessage).toMatch(/[\u4e00-\u9fff]/);
    expect((await sql.query(`SELECT count(*)::int AS n FROM simulations`)).rows[0].n).toBe(before);
  });
});
