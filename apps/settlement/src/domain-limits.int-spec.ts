import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import {
  agreementTerms,
  eventually,
  expectRefusedWithoutWrites,
  people,
  seedDealers,
  useServiceUnderTest,
} from '@app/testing';
import type { KafkaProbe, RunningService } from '@app/testing';
import { SettlementAppModule } from './settlement-app.module';
import { listStatementsOf, readStatement, runQuarterUntilDone } from './settlement.test-support';

jest.setTimeout(120_000);

const { financeAlice: alice, financeBob: bob, auditorCarol: auditor } = people;

/** 150 collections at the limit of one fact: their sum, 1,499,999,999,998.50, is beyond what numeric(14,2) holds. */
const AT_LIMIT = '9999999999.99';
const COLLECTIONS = 150;
const SUM = '1499999999998.50';

describe('settlement: facts at the limits of the domain, and one dealer failing alone (DOMAIN §9)', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  const refused = (pending: request.Test, status: number, field: string) =>
    expectRefusedWithoutWrites(sql, pending, status, field);

  const runQuarter = (quarter: string) => runQuarterUntilDone(svc.url, quarter, alice, 60_000);

  async function statementOf(dealer: string, quarter: string) {
    const items = await listStatementsOf(svc.url, dealer, quarter);
    return readStatement(svc.url, items[0].id);
  }

  useServiceUnderTest('settlement', SettlementAppModule, 'int_settlement_limits', async (stack) => {
    ({ svc, sql, probe } = stack);
    await seedDealers(stack, [
      {
        code: 'W1',
        terms: agreementTerms({ allowanceBasis: 'COLLECTIONS_PERCENT', percent: '100.0000', unitRate: null }),
      },
      { code: 'N1' },
      { code: 'DFAIL' },
    ]);
  });

  it('refuses money that is a JSON number, padded or above 9,999,999,999.99, and dates outside 2000 … 2099, on collections and purchases', async () => {
    const collection = { reference: 'RC-X', dealerCode: 'W1', valueDate: '2026-01-15', amount: '1.00' };
    const postCollection = (body: Record<string, unknown>) =>
      request(svc.url).post('/v1/collections').set(alice).send(body);
    await refused(postCollection({ ...collection, amount: 12345 }), 400, 'amount');
    await refused(postCollection({ ...collection, amount: ' 12.50' }), 400, 'amount');
    await refused(postCollection({ ...collection, amount: '10000000000.00' }), 400, 'amount');
    await refused(postCollection({ ...collection, valueDate: '0000-01-01' }), 400, 'valueDate');
    await refused(
      request(svc.url)
        .post('/v1/purchases')
        .set(alice)
        .send([{ reference: 'P-X', dealerCode: 'W1', invoiceDate: '2026-01-15', amount: 1 }]),
      400,
      'rows[1].amount',
    );
    await refused(
      request(svc.url)
        .post('/v1/breaches')
        .set(alice)
        .send({ reference: 'B-X', dealerCode: 'W1', quarter: '0000-Q1', reason: 'x' }),
      400,
      'quarter',
    );
    // An ERP document number with slashes is a reference like any other (dated on the last day allowed).
    const slashed = await request(svc.url)
      .post('/v1/collections')
      .set(alice)
      .send({ ...collection, reference: 'INV/2099/0001', valueDate: '2099-12-31' });
    expect(slashed.status).toBe(201);
    expect(slashed.body).toMatchObject({ reference: 'INV/2099/0001', valueDate: '2099-12-31', amount: '1.00' });
  });

  it('refuses from/to that are not real dates on the events list and the audit log', async () => {
    await refused(request(svc.url).get('/v1/events?from=2026-02-30').set(auditor), 400, 'from');
    await refused(request(svc.url).get('/v1/audit-log?to=2026-02-30T00:00:00Z').set(auditor), 400, 'to');
  });

  it('answers a dealer not yet known to settlement with a retryable 409, one input or an import', async () => {
    const one = await refused(
      request(svc.url)
        .post('/v1/collections')
        .set(alice)
        .send({ reference: 'RC-404', dealerCode: 'D404', valueDate: '2026-01-15', amount: '1.00' }),
      409,
      'dealerCode',
    );
    expect(one.body).toMatchObject({
      code: 'DEALER_NOT_YET_KNOWN',
      type: expect.stringMatching(/\/dealer-not-yet-known$/),
    });
    expect(Number(one.headers['retry-after'])).toBeGreaterThan(0);
    const many = await refused(
      request(svc.url)
        .post('/v1/purchases')
        .set(alice)
        .send([
          { reference: 'P-1', dealerCode: 'W1', invoiceDate: '2026-01-15', amount: '1.00' },
          { reference: 'P-404', dealerCode: 'D404', invoiceDate: '2026-01-15', amount: '1.00' },
        ]),
      409,
      'rows[2].dealerCode',
    );
    expect(many.body.code).toBe('DEALER_NOT_YET_KNOWN');
    expect(many.headers['retry-after']).toBeDefined();
  });

  it('applies a month whose report sums more than 2^31 units over its lines', async () => {
    const unitsSold = 3_000_000_000;
    await probe.publishEvent(Topics.dealers, 'MonthlyReportSubmitted', 'N1', {
      dealerCode: 'N1',
      month: '2026-01',
      part: 'SALES',
      partVersion: 1,
      firstSubmittedAt: '2026-02-01T02:00:00.000Z',
      dueAt: '2026-02-03T15:59:59.000Z',
      onTime: true,
      unitsSold,
      surveyed: 10,
      satisfied: 10,
      repairs: 0,
      callbacks: 0,
      callbacksBelowMinimum: false,
    });
    const stored = await eventually(async () => {
      const { rows } = await sql.query(
        `SELECT units_sold::text AS units FROM report_submissions WHERE dealer_code = 'N1' AND month = '2026-01'`,
      );
      return rows[0];
    }, 30_000);
    expect(stored).toEqual({ units: String(unitsSold) });
  });

  it('stores, tallies, runs, approves and posts a quarter whose facts sum beyond numeric(14,2)', async () => {
    const rows = Array.from({ length: COLLECTIONS }, (_, i) => ({
      reference: `RC-W1-${i}`,
      dealerCode: 'W1',
      valueDate: '2026-01-15',
      amount: AT_LIMIT,
    }));
    expect((await request(svc.url).post('/v1/collections').set(alice).send(rows)).status).toBe(201);

    const tally = await request(svc.url).post('/v1/tallies/2026-01').set(alice);
    expect(tally.status).toBe(201);
    expect(tally.body).toMatchObject({ dealers: 3, errors: [] });
    const tallied = await sql.query(
      `SELECT month_accrual::text, quarter_balance::text FROM monthly_tallies WHERE dealer_code = 'W1' AND month = '2026-01'`,
    );
    expect(tallied.rows).toEqual([{ month_accrual: SUM, quarter_balance: SUM }]);

    const run = await runQuarter('2026-Q1');
    expect(run).toMatchObject({ status: 'DONE', dealersTotal: 3, dealersDone: 3, errors: [] });
    const statement = await statementOf('W1', '2026-Q1');
    expect(statement).toMatchObject({ closing: SUM });
    expect(
      statement.lines.find(
        (l: { period: string; kind: string }) => l.kind === 'ALLOWANCE_ACCRUAL' && l.period === '2026-01',
      ),
    ).toMatchObject({ base: SUM, amount: SUM });

    await request(svc.url).post(`/v1/statements/${statement.id}/approve`).set(bob).expect(200);
    await request(svc.url).post(`/v1/statements/${statement.id}/post`).set(bob).expect(200);
    const ledger = await request(svc.url).get('/v1/ledger?dealer=W1').set(auditor).expect(200);
    expect(
      ledger.body.items.map((e: { debit: string; credit: string }) => (e.debit === '0.00' ? e.credit : e.debit)),
    ).toContain(SUM);
  });

  it('a dealer whose statement or tally cannot be stored is listed with its own error; the others are computed and the run is DONE', async () => {
    await sql.query(`
      CREATE FUNCTION refuse_dfail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.dealer_code = 'DFAIL' THEN RAISE EXCEPTION 'DFAIL cannot be stored'; END IF;
        RETURN NEW;
      END $$`);
    await sql.query(
      `CREATE TRIGGER refuse_dfail_statements BEFORE INSERT OR UPDATE ON statements FOR EACH ROW EXECUTE FUNCTION refuse_dfail()`,
    );
    await sql.query(
      `CREATE TRIGGER refuse_dfail_tallies BEFORE INSERT OR UPDATE ON monthly_tallies FOR EACH ROW EXECUTE FUNCTION refuse_dfail()`,
    );
    try {
      const tally = await request(svc.url).post('/v1/tallies/2026-02').set(alice);
      expect(tally.status).toBe(201);
      expect(tally.body).toMatchObject({
        dealers: 2,
        errors: [{ dealerCode: 'DFAIL', message: expect.stringContaining('DFAIL cannot be stored') }],
      });
      const talliedFeb = await sql.query(
        `SELECT dealer_code FROM monthly_tallies WHERE month = '2026-02' ORDER BY dealer_code`,
      );
      expect(talliedFeb.rows.map((r) => r.dealer_code)).toEqual(['N1', 'W1']);

      const run = await runQuarter('2026-Q2');
      expect(run).toMatchObject({ status: 'DONE', dealersTotal: 3, dealersDone: 3 });
      expect(run.errors).toEqual([{ dealerCode: 'DFAIL', message: expect.stringContaining('DFAIL cannot be stored') }]);
      const drafts = await sql.query(
        `SELECT dealer_code FROM statements WHERE quarter = '2026-Q2' ORDER BY dealer_code`,
      );
      expect(drafts.rows.map((r) => r.dealer_code)).toEqual(['N1', 'W1']);
    } finally {
      await sql.query(
        `DROP TRIGGER refuse_dfail_statements ON statements; DROP TRIGGER refuse_dfail_tallies ON monthly_tallies; DROP FUNCTION refuse_dfail()`,
      );
    }
  });
});
