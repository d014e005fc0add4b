import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { agreementTerms, eventually, people, seedDealers, startServiceUnderTest } from '@app/testing';
import type { KafkaProbe, RunningService, ServiceUnderTest } from '@app/testing';
import { SettlementAppModule } from '../settlement-app.module';
import {
  listStatementsOf,
  publishCards,
  publishSalesReports,
  readStatement,
  runQuarterUntilDone,
} from '../settlement.test-support';

jest.setTimeout(180_000);

const { financeAlice: alice, financeBob: bob } = people;

/**
 * R-SET-7 for cards on PostgreSQL: cards of an approved month that arrive, or are withdrawn, after
 * the approval adjust the next statement. The late-card queries probe card_facts per approved
 * (dealer, month); this pins what they find next to cards of the same month that were settled.
 */
describe('late cards of an approved quarter (R-SET-7)', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  const cardCount = async (): Promise<number> =>
    (await sql.query(`SELECT count(*)::int AS n FROM card_facts WHERE withdrawn_at IS NULL`)).rows[0].n;

  async function statementOf(quarter: string) {
    const [first] = await listStatementsOf(svc.url, 'D401', quarter);
    return readStatement(svc.url, first.id);
  }

  beforeAll(async () => {
    stack = await startServiceUnderTest('settlement', (c) => SettlementAppModule.register(c), 'int_settlement_late');
    ({ svc, sql, probe } = stack);
    await seedDealers(stack, [{ code: 'D401', terms: agreementTerms({ unitRate: '15.00' }) }]);
    await publishSalesReports(probe, 'D401', ['2026-01', '2026-02', '2026-03']);
    await publishCards(probe, 'D401', '2026-02', 10);
    await eventually(async () => ((await cardCount()) === 10 ? true : undefined), 30_000);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('R-SET-7 a card withdrawn and cards accepted after the approval of their month adjust the next quarter', async () => {
    expect(await runQuarterUntilDone(svc.url, '2026-Q1', alice, 60_000)).toMatchObject({ status: 'DONE', errors: [] });
    const q1 = await statementOf('2026-Q1');
    expect(q1.totals.accrual).toBe('150.00');
    await request(svc.url).post(`/v1/statements/${q1.id}/approve`).set(bob).expect(200);

    const { rows } = await sql.query(`SELECT serial, batch_id FROM card_facts ORDER BY serial LIMIT 1`);
    await probe.publishEvent(Topics.dealers, 'WarrantyCardWithdrawn', 'D401', {
      dealerCode: 'D401',
      reportMonth: '2026-02',
      serial: rows[0].serial,
      batchId: rows[0].batch_id,
    });
    await publishCards(probe, 'D401', '2026-02', 3);
    await eventually(async () => ((await cardCount()) === 12 ? true : undefined), 30_000);

    expect(await runQuarterUntilDone(svc.url, '2026-Q2', alice, 60_000)).toMatchObject({ status: 'DONE', errors: [] });
    const q2 = await statementOf('2026-Q2');
    const adjustments = q2.lines
      .filter((l: { kind: string }) => l.kind === 'PRIOR_PERIOD_ADJUSTMENT')
      .map((l: { ruleId: string; period: string; amount: string }) => [l.ruleId, l.period, l.amount])
      .sort();
    expect(adjustments).toEqual([
      ['R-SET-7', '2026-02', '-15.00'],
      ['R-SET-7', '2026-02', '45.00'],
    ]);
  });
});
