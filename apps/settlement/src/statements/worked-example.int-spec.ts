import request from 'supertest';
import { formatMoney, sumMoney } from '@app/kernel';
import { Client } from 'pg';
import {
  accrualRows,
  eventually,
  invoicedOutsideBalance,
  KafkaProbe,
  people,
  RunningService,
  useServiceUnderTest,
  workedExample,
} from '@app/testing';
import { SettlementAppModule } from '../settlement-app.module';
import { publishWorkedExample } from '../settlement.test-support';

jest.setTimeout(120_000);

const { financeAlice: alice, financeBob: bob, auditorCarol: auditor } = people;

/**
 * DOMAIN §8 through settlement's public API: the facts arrive as the producers' events on their
 * topics (dealers, requisitions, returns), finance runs, approves and posts each quarter.
 */
describe('DOMAIN §8 worked example through settlement (events in, HTTP out), to the fen', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  let consumed = 0;

  async function publish(topic: string, type: string, payload: Record<string, unknown>): Promise<void> {
    await probe.publishEvent(topic, type, 'D001', payload);
    consumed += 1;
  }
  async function allConsumed(): Promise<void> {
    await eventually(async () => {
      // Every handler journals its event in consumed_events in the same transaction as its effect.
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM consumed_events`);
      return rows[0].n >= consumed ? true : undefined;
    }, 30_000);
  }

  async function settle(quarter: string): Promise<any> {
    const run = await request(svc.url).post(`/v1/settlements/${quarter}/runs`).set(alice).expect(202);
    const done = await eventually(async () => {
      const res = await request(svc.url).get(`/v1/settlements/${quarter}/runs/${run.body.id}`).set(alice).expect(200);
      return res.body.status === 'RUNNING' ? undefined : res.body;
    });
    expect(done).toMatchObject({ status: 'DONE', errors: [] });
    const list = await request(svc.url)
      .get(`/v1/settlements/${quarter}/statements`)
      .query({ dealer: 'D001' })
      .set(auditor)
      .expect(200);
    return (await request(svc.url).get(`/v1/statements/${list.body.items[0].id}`).set(auditor).expect(200)).body;
  }

  async function approveAndPost(id: string): Promise<any> {
    await request(svc.url).post(`/v1/statements/${id}/approve`).set(bob).expect(200);
    return (await request(svc.url).post(`/v1/statements/${id}/post`).set(bob).expect(200)).body;
  }

  useServiceUnderTest('settlement', SettlementAppModule, 'int_settlement_worked_example', async (stack) => {
    ({ svc, sql, probe } = stack);

    await publishWorkedExample(publish);
    await allConsumed();
  });

  it('R-SET-2 2026-Q1 closes at 3,295.00 carried to Q2, with 35.00 invoiced outside the balance', async () => {
    const q1 = await settle('2026-Q1');
    const balance = q1.lines.filter((l: any) => l.affectsBalance);
    const sumOf = (pred: (l: any) => boolean) => formatMoney(sumMoney(balance.filter(pred).map((l: any) => l.amount)));
    expect(accrualRows(q1.lines)).toEqual(workedExample.q1.accrual);
    expect(sumOf((l) => l.kind === 'FAKE_CARD_PENALTY')).toBe('-300.00');
    expect(sumOf((l) => l.kind === 'PARTS_CHARGE')).toBe('-485.00');
    expect(sumOf((l) => l.kind === 'RETURN_CHARGE')).toBe('-240.00');
    expect(sumOf((l) => l.kind === 'COMPLAINT_PENALTY')).toBe('-1000.00');
    // Outside the balance: the urgent freight difference invoiced (informational lines, e.g. the 2 excluded cards, carry 0.00).
    expect(invoicedOutsideBalance(q1.lines)).toEqual(workedExample.q1.invoicedOutsideBalance);
    expect(q1).toMatchObject({
      opening: '0.00',
      closing: '3295.00',
      totals: expect.objectContaining({ accrual: '5320.00', invoiced: '35.00' }),
    });
    const posted = await approveAndPost(q1.id);
    expect(posted.outcome).toEqual(workedExample.q1.outcome);
  });

  it('R-SET-4 2026-Q2 opens at 3,295.00 and closes at −412.50: the dealer is billed 412.50 and 2026-Q3 opens at 0.00', async () => {
    const q2 = await settle('2026-Q2');
    expect(q2).toMatchObject({ opening: '3295.00', closing: '-412.50' });
    const posted = await approveAndPost(q2.id);
    expect(posted.outcome).toEqual(workedExample.q2.outcome);
    const { rows } = await sql.query(
      `SELECT sum(debit)::text AS d, sum(credit)::text AS c,
              sum(CASE WHEN account = 'dealer-fund:D001' THEN credit - debit END)::text AS fund,
              sum(CASE WHEN account = 'receivable:D001' THEN debit - credit END)::text AS receivable
       FROM ledger_entries`,
    );
    // Σdebit = Σcredit; the fund is back to 0.00; receivable = 35.00 (Q1 invoiced) + 412.50 (Q2 deficit).
    expect(rows[0]).toEqual({ d: rows[0].c, c: rows[0].c, fund: '0.00', receivable: '447.50' });
    const q3 = await settle('2026-Q3');
    expect(q3.opening).toBe('0.00');
  });
});
