import request from 'supertest';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { agreementTerms, eventually, people, seedDealers, startServiceUnderTest } from '@app/testing';
import type { KafkaProbe, RunningService, ServiceUnderTest } from '@app/testing';
import { StatementChainAndHistory1767920000000 } from '../migrations/1767920000000-statement-chain-and-history';
import { SettlementAppModule } from '../settlement-app.module';
import { listStatementsOf, publishCards, publishSalesReports, runQuarterUntilDone } from '../settlement.test-support';

jest.setTimeout(180_000);

const { financeAlice: alice, financeBob: bob, auditorCarol: auditor, d001, d002 } = people;
const Q1 = ['2026-01', '2026-02', '2026-03'];

/** A moment strictly between what happened before and what happens after. */
async function instant(): Promise<string> {
  await new Promise((r) => setTimeout(r, 25));
  const at = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 25));
  return at;
}

/**
 * The tamper-evident chain of posted statements and the "as of" reads, on PostgreSQL: a statement,
 * a dealer's balance and the ledger as they stood at an instant; verification naming the statement
 * a superuser changed behind the application's back.
 */
describe('chain of posted statements and as-of reads', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  const cardCount = async (): Promise<number> =>
    (await sql.query(`SELECT count(*)::int AS n FROM card_facts`)).rows[0].n;
  const untilCards = (n: number) => eventually(async () => ((await cardCount()) === n ? true : undefined), 30_000);
  const statementId = async (dealer: string, quarter: string): Promise<string> =>
    (await listStatementsOf(svc.url, dealer, quarter))[0].id;
  const get = (path: string, who: { Authorization: string } = auditor, query: Record<string, string> = {}) =>
    request(svc.url).get(path).query(query).set(who);
  const verify = async (query: Record<string, string> = {}) =>
    (await get('/v1/statements/verification', auditor, query).expect(200)).body;
  const asSuperuser = async (statement: string, params: unknown[]) => {
    await sql.query(`SET session_replication_role = replica`);
    try {
      await sql.query(statement, params);
    } finally {
      await sql.query(`SET session_replication_role = origin`);
    }
  };

  beforeAll(async () => {
    stack = await startServiceUnderTest('settlement', (c) => SettlementAppModule.register(c), 'int_settlement_chain');
    ({ svc, sql, probe } = stack);
    await seedDealers(stack, [
      { code: 'D001', terms: agreementTerms({ unitRate: '15.00' }) },
      { code: 'D002', terms: agreementTerms({ unitRate: '10.00' }) },
    ]);
    await publishSalesReports(probe, 'D001', Q1);
    await publishSalesReports(probe, 'D002', Q1);
    await publishCards(probe, 'D001', '2026-02', 10);
    await publishCards(probe, 'D002', '2026-01', 4);
    await untilCards(14);
  });

  afterAll(async () => {
    await stack?.close();
  });

  let d001Q1: string;

  it('a statement, the balance and the ledger read as of an instant show what was known then', async () => {
    const beforeRun = await instant();
    expect(await runQuarterUntilDone(svc.url, '2026-Q1', alice, 60_000)).toMatchObject({ status: 'DONE', errors: [] });
    d001Q1 = await statementId('D001', '2026-Q1');
    const t1 = await instant();
    const balanceAt = async (quarter: string, asOf?: string) =>
      (await get('/v1/dealers/D001/balance', d001, { quarter, ...(asOf ? { asOf } : {}) }).expect(200)).body;
    const q1BalanceT1 = await balanceAt('2026-Q1');
    expect(q1BalanceT1.accrual).toBe('150.00');

    // New cards arrive, the draft is recomputed, approved and posted.
    await publishCards(probe, 'D001', '2026-02', 3);
    await untilCards(17);
    expect(await runQuarterUntilDone(svc.url, '2026-Q1', alice, 60_000)).toMatchObject({ status: 'DONE', errors: [] });
    await request(svc.url).post(`/v1/statements/${d001Q1}/approve`).set(bob).expect(200);
    const t2 = await instant();
    await request(svc.url).post(`/v1/statements/${d001Q1}/post`).set(alice).expect(200);

    const now = (await get(`/v1/statements/${d001Q1}`, d001).expect(200)).body;
    expect(now).toMatchObject({ status: 'POSTED', closing: '195.00', chain: { sequence: 1 } });
    const atT1 = (await get(`/v1/statements/${d001Q1}`, d001, { asOf: t1 }).expect(200)).body;
    expect(atT1).toMatchObject({
      status: 'DRAFT',
      closing: '150.00',
      approvedAt: null,
      postedAt: null,
      chain: null,
      linesAsOf: false,
      lines: [],
    });
    // Answers give instants to the second, in Asia/Shanghai time.
    expect(new Date(atT1.asOf).getTime()).toBe(Math.floor(Date.parse(t1) / 1000) * 1000);
    expect(atT1.contentHash).not.toBe(now.contentHash);
    const atT2 = (await get(`/v1/statements/${d001Q1}`, auditor, { asOf: t2 }).expect(200)).body;
    expect(atT2).toMatchObject({ status: 'APPROVED', closing: '195.00', approvedBy: 'finance-bob', postedAt: null });
    expect(atT2).toMatchObject({ linesAsOf: true, contentHash: now.contentHash, lines: now.lines });
    const before = await get(`/v1/statements/${d001Q1}`, auditor, { asOf: beforeRun }).expect(404);
    expect(before.body.detail).toContain('did not exist yet');

    // The balance: cards received by then; the next quarter's opening from the statements approved by then.
    expect((await balanceAt('2026-Q1', t1)).accrual).toBe('150.00');
    expect((await balanceAt('2026-Q1')).accrual).toBe('195.00');
    expect((await balanceAt('2026-Q2', t1)).opening).toBe('0.00');
    expect((await balanceAt('2026-Q2')).opening).toBe(now.outcome.nextOpening);
    expect(now.outcome.nextOpening).toBe('195.00');

    // The ledger: only entries posted by then, with each account's running balance.
    const ledger = async (asOf?: string) =>
      (await get('/v1/ledger', auditor, { account: 'dealer-fund:D001', ...(asOf ? { asOf } : {}) }).expect(200)).body
        .items;
    expect(await ledger(t2)).toEqual([]);
    const entries = await ledger();
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0].runningBalance).toBe('-195.00');
  });

  it('asOf is an instant with its offset, not in the future; a dealer reads only its own', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    for (const [asOf, rule] of [
      [future, 'notInFuture'],
      ['2026-04-01', 'instant'],
      ['2026-04-01T08:00:00', 'instant'],
      ['yesterday', 'instant'],
    ]) {
      for (const path of [`/v1/statements/${d001Q1}`, '/v1/dealers/D001/balance', '/v1/ledger']) {
        const res = await get(path, alice, { asOf }).expect(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'asOf', rule })]);
      }
    }
    const past = '2026-11-01T08:00:00+08:00';
    await get(`/v1/statements/${d001Q1}`, d002, { asOf: past }).expect(404);
    await get('/v1/dealers/D001/balance', d002, { asOf: past }).expect(404);
    await get('/v1/ledger', d001, { asOf: past }).expect(403);
  });

  it('posting chains each statement to the one posted before it; verification recomputes the range', async () => {
    const d002Q1 = await statementId('D002', '2026-Q1');
    await request(svc.url).post(`/v1/statements/${d002Q1}/approve`).set(bob).expect(200);
    const between = await instant();
    const posted = (await request(svc.url).post(`/v1/statements/${d002Q1}/post`).set(alice).expect(200)).body;
    expect(posted.chain).toMatchObject({ sequence: 2 });
    const first = (await get(`/v1/statements/${d001Q1}`).expect(200)).body;
    expect(first.chain.prevHash).toBe('0'.repeat(64));
    expect(posted.chain.prevHash).toBe(first.chain.chainHash);
    expect(await verify()).toMatchObject({
      matches: true,
      checked: 2,
      firstSequence: 1,
      lastSequence: 2,
      head: posted.chain.chainHash,
      firstFailure: null,
    });
    expect(await verify({ from: between })).toMatchObject({ matches: true, checked: 1, firstSequence: 2 });
    expect(await verify({ to: between })).toMatchObject({ matches: true, checked: 1, lastSequence: 1 });
  });

  it('the migration back-fills the chain and the history of statements stored before it, in posting order', async () => {
    const statuses = async (id: string) =>
      (
        await sql.query(`SELECT status FROM statement_status_history WHERE statement_id = $1 ORDER BY at, id`, [id])
      ).rows.map((r) => r.status);
    // Written by the application's changes: the draft, its recompute with the new cards, approval, posting.
    expect(await statuses(d001Q1)).toEqual(['DRAFT', 'DRAFT', 'APPROVED', 'POSTED']);
    const chainBefore = (await sql.query(`SELECT * FROM statement_chain ORDER BY sequence`)).rows;
    const ds = new DataSource({ type: 'postgres', url: stack!.db.url });
    await ds.initialize();
    const runner = ds.createQueryRunner();
    try {
      const migration = new StatementChainAndHistory1767920000000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
      await ds.destroy();
    }
    expect((await sql.query(`SELECT * FROM statement_chain ORDER BY sequence`)).rows).toEqual(chainBefore);
    // Back-filled from what the statement row still tells: the last computation, approval, posting.
    expect(await statuses(d001Q1)).toEqual(['DRAFT', 'APPROVED', 'POSTED']);
    expect(await verify()).toMatchObject({ matches: true, checked: 2 });
  });

  it('verification names the statement whose line a superuser altered, a broken link and a missing one', async () => {
    const d002Q1 = await statementId('D002', '2026-Q1');
    // A superuser changes an amount of D002's posted statement with the protecting triggers off.
    const line = `UPDATE statement_lines SET amount = amount + $2 WHERE statement_id = $1 AND position = 1`;
    await asSuperuser(line, [d002Q1, 100]);
    expect(await verify()).toMatchObject({
      matches: false,
      checked: 1,
      firstFailure: { sequence: 2, statementId: d002Q1, reason: 'CONTENT_CHANGED' },
    });
    await asSuperuser(line, [d002Q1, -100]);
    expect(await verify()).toMatchObject({ matches: true });

    // A superuser rewrites the first link: the chain breaks there.
    const link = `UPDATE statement_chain SET prev_hash = $2 WHERE sequence = $1`;
    await asSuperuser(link, [1, 'a'.repeat(64)]);
    expect(await verify()).toMatchObject({
      matches: false,
      checked: 0,
      firstFailure: { sequence: 1, statementId: d001Q1, reason: 'LINK_BROKEN' },
    });
    await asSuperuser(link, [1, '0'.repeat(64)]);
    expect(await verify()).toMatchObject({ matches: true });

    // A link removed: the statement it chained is missing from the chain.
    await asSuperuser(`DELETE FROM statement_chain WHERE sequence = $1`, [2]);
    expect(await verify()).toMatchObject({
      matches: false,
      firstFailure: { statementId: d002Q1, reason: 'MISSING' },
    });
  });
});
