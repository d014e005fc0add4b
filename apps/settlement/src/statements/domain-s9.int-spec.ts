import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { Clock } from '@app/platform';
import { agreementTerms, bearer, eventually, people, seedDealers, startServiceUnderTest } from '@app/testing';
import type { KafkaProbe, RunningService, ServiceUnderTest } from '@app/testing';
import { SettlementAppModule } from '../settlement-app.module';
import { listStatementsOf, publishCards, readStatement, salesReportPayload } from '../settlement.test-support';

jest.setTimeout(180_000);

const { financeAlice: alice, financeBob: bob, auditorCarol: auditor } = people;

/** A moment in December 2026: October is past its report due time, November (due 12-03) and December are not. */
const IN_DECEMBER = new Date('2026-12-02T04:00:00Z');

type Line = { kind: string; ruleId: string; period: string; amount: string; base: string | null; quantity: number };

/**
 * DOMAIN §9 on PostgreSQL and the broker, through settlement's APIs: late percent facts re-round
 * their month (point 1), tallies withhold what the run withholds (point 2), pending months
 * (point 3) and the year's allowance net of late cancellations (point 4).
 */
describe('DOMAIN §9 in settlement: late percent facts, honest tallies, pending months, the year allowance', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  let clock: Clock;
  let realNow: () => Date;

  const atDecember = async <T>(fn: () => Promise<T>): Promise<T> => {
    clock.now = () => IN_DECEMBER;
    try {
      return await fn();
    } finally {
      clock.now = realNow;
    }
  };

  async function runQuarter(quarter: string): Promise<void> {
    const started = await request(svc.url).post(`/v1/settlements/${quarter}/runs`).set(alice).expect(202);
    const run = await eventually(async () => {
      const res = await request(svc.url).get(`/v1/settlements/${quarter}/runs/${started.body.id}`).set(auditor);
      return res.body.status === 'RUNNING' ? undefined : res.body;
    }, 60_000);
    expect(run).toMatchObject({ status: 'DONE', errors: [] });
  }

  async function statementOf(dealer: string, quarter: string) {
    const items = await listStatementsOf(svc.url, dealer, quarter);
    return readStatement(svc.url, items[0].id);
  }

  async function purchase(reference: string, invoiceDate: string, amount: string): Promise<void> {
    await request(svc.url)
      .post('/v1/purchases')
      .set(alice)
      .send({ reference, dealerCode: 'D301', invoiceDate, amount })
      .expect(201);
  }

  async function report(dealer: string, month: string): Promise<void> {
    const [y, m] = month.split('-').map(Number);
    await probe.publishEvent(Topics.dealers, 'MonthlyReportSubmitted', dealer, {
      ...salesReportPayload(dealer, month),
      dueAt: new Date(Date.UTC(y, m, 3, 15, 59, 59)).toISOString(),
      repairs: 1,
    });
    await eventually(async () => {
      const { rowCount } = await sql.query(`SELECT 1 FROM report_submissions WHERE dealer_code = $1 AND month = $2`, [
        dealer,
        month,
      ]);
      return rowCount ? true : undefined;
    }, 30_000);
  }

  async function cards(dealer: string, month: string, n: number): Promise<void> {
    const prefix = await publishCards(probe, dealer, month, n);
    await eventually(async () => {
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM card_facts WHERE serial LIKE $1`, [
        `${prefix}-%`,
      ]);
      return rows[0].n === n ? true : undefined;
    }, 30_000);
  }

  beforeAll(async () => {
    stack = await startServiceUnderTest('settlement', (c) => SettlementAppModule.register(c), 'int_settlement_s9');
    ({ svc, sql, probe } = stack);
    clock = svc.app.get(Clock);
    realNow = clock.now.bind(clock);
    await seedDealers(stack, [
      {
        code: 'D301',
        terms: agreementTerms({
          allowanceBasis: 'PURCHASES_PERCENT',
          unitRate: null,
          percent: '1.2178',
          missedReportPenaltyPercent: '12.3456',
        }),
      },
      { code: 'D302', terms: agreementTerms() },
    ]);
    // D301 never submits a report (a missed-report streak, R-REP-4); D302 misses August only.
    await purchase('P-FEB', '2026-02-10', '100000.00');
    await purchase('P-AUG-1', '2026-08-20', '183400.61');
    await purchase('P-OCT', '2026-10-10', '10000.00');
    for (const month of ['2026-07', '2026-09']) await report('D302', month);
    for (const month of ['2026-07', '2026-08', '2026-09']) await cards('D302', month, 10);
    await cards('D302', '2026-12', 5);
  });

  afterAll(async () => {
    if (clock && realNow) clock.now = realNow;
    await stack?.close();
  });

  it('R-SET-7 §9.1 a late purchase re-rounds its month on the whole base: +576.05 (not 576.04)', async () => {
    await runQuarter('2026-Q3');
    const q3 = await statementOf('D301', '2026-Q3');
    expect(q3.lines.find((l: Line) => l.period === '2026-08')).toMatchObject({ base: '183400.61', amount: '2233.45' });
    await request(svc.url).post(`/v1/statements/${q3.id}/approve`).set(bob).expect(200);
    await purchase('P-AUG-2', '2026-08-25', '47302.05');
    await atDecember(() => runQuarter('2026-Q4'));
    const q4 = await statementOf('D301', '2026-Q4');
    const adjustments = q4.lines.filter((l: Line) => l.kind === 'PRIOR_PERIOD_ADJUSTMENT');
    expect(adjustments).toEqual([
      expect.objectContaining({ ruleId: 'R-SET-7', period: '2026-08', base: '230702.66', amount: '576.05' }),
    ]);
  });

  it('R-SET-1 §9.2 a tally withholds the cards of an unreported, past-due month (R-REP-4) and matches the draft', async () => {
    await request(svc.url).post('/v1/tallies/2026-08').set(alice).expect(201);
    await request(svc.url).post('/v1/tallies/2026-09').set(alice).expect(201);
    const { rows } = await sql.query(
      `SELECT month, month_accrual, quarter_balance, lines FROM monthly_tallies WHERE dealer_code = 'D302' ORDER BY month`,
    );
    expect(rows.map((r) => [r.month, r.month_accrual, r.quarter_balance])).toEqual([
      ['2026-08', '0.00', '150.00'],
      ['2026-09', '150.00', '300.00'],
    ]);
    expect(rows[0].lines).toEqual([
      expect.objectContaining({ ruleId: 'R-REP-4', kind: 'ALLOWANCE_NOT_ACCRUED', quantity: 10, amount: '0.00' }),
    ]);
    const draft = await statementOf('D302', '2026-Q3');
    expect(draft.status).toBe('DRAFT');
    expect(rows[1].quarter_balance).toBe(draft.closing);
    const balance = await request(svc.url).get('/v1/dealers/D302/balance?quarter=2026-Q3').set(alice).expect(200);
    expect(balance.body.closing).toBe(draft.closing);
    // A late submission restores August at the next tally.
    await report('D302', '2026-08');
    await request(svc.url).post('/v1/tallies/2026-09').set(alice).expect(201);
    const after = await sql.query(
      `SELECT quarter_balance FROM monthly_tallies WHERE dealer_code = 'D302' AND month = '2026-09'`,
    );
    expect(after.rows[0].quarter_balance).toBe('450.00');
  });

  it('R-SET-8 §9.3 months not yet due are PENDING: listed by the draft and the balance, no R-REP-4 line, approval refused with 409', async () => {
    await atDecember(() => runQuarter('2026-Q4'));
    const d302 = await statementOf('D302', '2026-Q4');
    expect(d302.pendingMonths).toEqual(['2026-11', '2026-12']);
    expect(d302.lines.filter((l: Line) => l.ruleId === 'R-REP-4' && l.period === '2026-12')).toEqual([]);
    expect(d302.lines.find((l: Line) => l.period === '2026-12')).toMatchObject({
      kind: 'ALLOWANCE_ACCRUAL',
      amount: '75.00',
    });
    const refused = await atDecember(() => request(svc.url).post(`/v1/statements/${d302.id}/approve`).set(bob));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'MONTHS_PENDING', pendingMonths: ['2026-11', '2026-12'] });
    expect(refused.body.detail).toContain('2026-11, 2026-12');
    const balance = await atDecember(() =>
      request(svc.url).get('/v1/dealers/D302/balance?quarter=2026-Q4').set(bearer('dealer', 'D302')).expect(200),
    );
    expect(balance.body.pendingMonths).toEqual(['2026-11', '2026-12']);
    expect(balance.body.months.map((m: { pending: boolean }) => m.pending)).toEqual([false, true, true]);
  });

  it("R-REP-4 R-AWD-1 §9.4 a breach recorded after a quarter's approval leaves the year's allowance net of its reversal", async () => {
    await request(svc.url)
      .post('/v1/breaches')
      .set(alice)
      .send({ reference: 'BR-Q3', dealerCode: 'D301', quarter: '2026-Q3', reason: 'sold outside the territory' })
      .expect(201);
    await atDecember(() => runQuarter('2026-Q4'));
    const q4 = await statementOf('D301', '2026-Q4');
    const adjustments = q4.lines.filter((l: Line) => l.kind === 'PRIOR_PERIOD_ADJUSTMENT');
    // The quarter stays cancelled: its approved 2,233.45 reversed, the late purchase adjusts nothing (§9.1).
    expect(adjustments.map((l: Line) => [l.period, l.amount])).toEqual([['2026-Q3', '-2233.45']]);
    // The year's allowance: Q1 1,217.80 + Q3 0.00 (cancelled) + Q4 121.78 = 1,339.58; × 12.3456 % = 165.38.
    expect(q4.lines.find((l: Line) => l.kind === 'MISSED_REPORT_PENALTY')).toMatchObject({
      ruleId: 'R-REP-4',
      base: '1339.58',
      amount: '-165.38',
    });
  });
});
