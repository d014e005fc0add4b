import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { eventually, people, publishDealers, useServiceUnderTest, workedExampleTerms } from '@app/testing';
import type { KafkaProbe, RunningService } from '@app/testing';
import { SettlementAppModule } from '../settlement-app.module';
import {
  download as downloadAs,
  listStatementsOf,
  publishSalesReports,
  readStatement,
  runQuarterUntilDone,
} from '../settlement.test-support';
import { Clock } from '@app/platform';

jest.setTimeout(120_000);

const { financeAlice: alice, financeBob: bob, auditorCarol: auditor, d001, d002 } = people;

const terms = (over: Record<string, unknown> = {}) =>
  workedExampleTerms({ missedReportPenaltyPercent: '10', excellenceAwardPercent: '50', ...over });

function cards(month: string, n: number, model = 'EB-100', prefix = randomUUID().slice(0, 8)) {
  return Array.from({ length: n }, (_, i) => ({
    serial: `${prefix}-${i}`.toUpperCase(),
    model,
    saleDate: `${month}-05`,
    outlet: 'X',
    flags: [],
  }));
}

describe('settlement statements: runs, lifecycle, ledger, disputes, verification (R-SET-2, R-SET-7, R-SET-8, R-SET-9, R-DSP-1/2)', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  let dbUrl: string;
  let settlementTopic: Array<{ value: string | null }>;
  const published = { cards: 0, reports: 0 };

  async function publish(type: string, dealer: string, payload: Record<string, unknown>): Promise<void> {
    await probe.publishEvent(Topics.dealers, type, dealer, payload);
  }

  async function publishCards(dealer: string, month: string, list: ReturnType<typeof cards>): Promise<void> {
    await publish('WarrantyCardsAccepted', dealer, {
      dealerCode: dealer,
      reportMonth: month,
      batchId: randomUUID(),
      cards: list,
    });
    published.cards += list.length;
  }

  /** The event of `type` settlement published about `statementId`, once it has arrived. */
  const settlementEvent = (type: string, statementId: string) =>
    eventually(async () =>
      settlementTopic
        .map((m) => JSON.parse(m.value ?? '{}'))
        .find((e) => e.type === type && e.payload.statementId === statementId),
    );

  /** GET `path` as `who`, the body kept as a Buffer (PDF, XLSX). */
  const download = (path: string, who: { Authorization: string }) => downloadAs(svc.url, path, who);

  async function factsArrived(): Promise<void> {
    await eventually(async () => {
      const { rows } = await sql.query(
        `SELECT (SELECT count(*)::int FROM card_facts) AS cards, (SELECT count(*)::int FROM report_submissions) AS reports`,
      );
      return rows[0].cards === published.cards && rows[0].reports === published.reports ? true : undefined;
    }, 30_000);
  }

  async function runQuarter(
    quarter: string,
    who = alice,
  ): Promise<{ id: string; dealersTotal: number; dealersDone: number; errors: unknown[] }> {
    return runQuarterUntilDone(svc.url, quarter, who, 30_000);
  }

  async function statementOf(dealer: string, quarter: string) {
    const items = await listStatementsOf(svc.url, dealer, quarter);
    expect(items).toHaveLength(1);
    return readStatement(svc.url, items[0].id);
  }

  useServiceUnderTest('settlement', SettlementAppModule, 'int_settlement_statements', async (stack) => {
    ({ svc, sql, probe } = stack);
    dbUrl = stack.db.url;
    settlementTopic = await probe.collect(Topics.settlement);

    for (const [code, t] of [
      ['D001', terms()],
      ['D002', terms({ settlementMode: 'PAYOUT', disputeMonths: 0 })],
    ] as const) {
      await publishDealers(probe, [{ code, terms: t }]);
      await publishSalesReports(probe, code, ['2026-01', '2026-02', '2026-03']);
      published.reports += 3;
    }
    // DOMAIN §8 card counts for D001: Jan 100 + 20 EB-200, Feb 80, Mar 150 (no audit findings here).
    await publishCards('D001', '2026-01', cards('2026-01', 100));
    await publishCards('D001', '2026-01', cards('2026-01', 20, 'EB-200'));
    await publishCards('D001', '2026-02', cards('2026-02', 80));
    await publishCards('D001', '2026-03', cards('2026-03', 150));
    await publishCards('D002', '2026-01', cards('2026-01', 10));
    await factsArrived();
    await eventually(async () => {
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM known_agreements`);
      return rows[0].n === 2 ? true : undefined;
    });
  });

  let q1: { id: string; contentHash: string; lines: unknown[]; closing: string };

  it('R-SET-2 a run computes a DRAFT for every dealer with an agreement in the background, with progress', async () => {
    const run = await runQuarter('2026-Q1');
    expect(run).toMatchObject({ status: 'DONE', dealersTotal: 2, dealersDone: 2, errors: [] });
    q1 = await statementOf('D001', '2026-Q1');
    expect(q1).toMatchObject({
      status: 'DRAFT',
      opening: '0.00',
      closing: '5350.00',
      computedBy: 'finance-alice',
      computedByRun: run.id,
    });
    const accrual = (
      q1.lines as Array<{ ruleId: string; kind: string; amount: string; period: string; sources: unknown }>
    ).filter((l) => l.kind === 'ALLOWANCE_ACCRUAL');
    expect(accrual.map((l) => [l.ruleId, l.period, l.amount])).toEqual([
      ['R-SET-3', '2026-01', '1500.00'],
      ['R-SET-3', '2026-01', '400.00'],
      ['R-SET-3', '2026-02', '1200.00'],
      ['R-SET-3', '2026-03', '2250.00'],
    ]);
    const d2 = await statementOf('D002', '2026-Q1');
    expect(d2).toMatchObject({
      status: 'DRAFT',
      settlementMode: 'PAYOUT',
      closing: '150.00',
      outcome: expect.objectContaining({ payableToDealer: '150.00', nextOpening: '0.00' }),
    });
  });

  it('R-SET-8 recomputing a DRAFT with the same facts keeps its id and gives the same lines byte for byte', async () => {
    const before = await sql.query(
      `SELECT statement_id, position, rule_id, kind, period, description, quantity::text, rate::text, base::text, percent::text, amount::text, affects_balance, sources::text FROM statement_lines ORDER BY 1, 2`,
    );
    await runQuarter('2026-Q1', bob);
    const again = await statementOf('D001', '2026-Q1');
    expect(again.id).toBe(q1.id);
    expect(again.contentHash).toBe(q1.contentHash);
    expect(JSON.stringify(again.lines)).toBe(JSON.stringify(q1.lines));
    const after = await sql.query(
      `SELECT statement_id, position, rule_id, kind, period, description, quantity::text, rate::text, base::text, percent::text, amount::text, affects_balance, sources::text FROM statement_lines ORDER BY 1, 2`,
    );
    expect(after.rows).toEqual(before.rows);
    expect(again.computedBy).toBe('finance-bob');
  });

  it('R-SET-2 a run started with an Idempotency-Key is answered once its request committed, runs to completion in the background, and the key replays its start', async () => {
    const start = () =>
      request(svc.url)
        .post('/v1/settlements/2026-Q1/runs')
        .set(bob)
        .set('Idempotency-Key', 'run-2026-Q1-keyed')
        .timeout(20_000);
    // Holds back the run's writes to statements, so the run is still working when its request is answered.
    const blocker = new Client({ connectionString: dbUrl });
    await blocker.connect();
    let started: request.Response;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE statements IN SHARE MODE');
      started = await start();
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ status: 'RUNNING', dealersTotal: 2, startedBy: 'finance-bob' });
      const { rows } = await sql.query(`SELECT status FROM settlement_runs WHERE id = $1`, [started.body.id]);
      expect(rows).toEqual([{ status: 'RUNNING' }]);
    } finally {
      await blocker.query('COMMIT');
      await blocker.end();
    }
    const done = await eventually(async () => {
      const res = await request(svc.url)
        .get(`/v1/settlements/2026-Q1/runs/${started.body.id}`)
        .set(auditor)
        .expect(200);
      return res.body.status === 'RUNNING' ? undefined : res.body;
    }, 30_000);
    expect(done).toMatchObject({ status: 'DONE', dealersTotal: 2, dealersDone: 2, errors: [] });
    const runs = async () => (await sql.query(`SELECT count(*)::int AS n FROM settlement_runs`)).rows[0].n as number;
    const before = await runs();
    const replay = await start();
    expect(replay.status).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(started.text);
    expect(await runs()).toBe(before);
    expect((await statementOf('D001', '2026-Q1')).computedByRun).toBe(started.body.id);
  });

  it('R-SET-8 the finance user whose run computed the draft may not approve it; another may, and QuarterApproved is published', async () => {
    const same = await request(svc.url).post(`/v1/statements/${q1.id}/approve`).set(bob);
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ code: 'SAME_USER_APPROVAL' });
    const viaAuditor = await request(svc.url).post(`/v1/statements/${q1.id}/approve`).set(auditor);
    expect(viaAuditor.status).toBe(403);
    const ok = await request(svc.url).post(`/v1/statements/${q1.id}/approve`).set(alice).expect(200);
    expect(ok.body).toMatchObject({ status: 'APPROVED', approvedBy: 'finance-alice' });
    const event = await settlementEvent('QuarterApproved', q1.id);
    expect(event.payload).toMatchObject({
      dealerCode: 'D001',
      quarter: '2026-Q1',
      months: ['2026-01', '2026-02', '2026-03'],
      approvedBy: 'finance-alice',
    });
    const { rows } = await sql.query(`SELECT action, actor FROM audit_log WHERE entity_id = $1 ORDER BY id`, [q1.id]);
    expect(rows).toContainEqual({ action: 'statement.approved', actor: 'finance-alice' });
  });

  it('R-SET-8 a run never recomputes an approved statement, and PostgreSQL refuses changing its lines', async () => {
    const before = await sql.query(`SELECT computed_at FROM statements WHERE id = $1`, [q1.id]);
    await runQuarter('2026-Q1', bob);
    const after = await sql.query(`SELECT computed_at, status FROM statements WHERE id = $1`, [q1.id]);
    expect(after.rows[0]).toEqual({ computed_at: before.rows[0].computed_at, status: 'APPROVED' });
    await expect(sql.query(`UPDATE statement_lines SET amount = 0 WHERE statement_id = $1`, [q1.id])).rejects.toThrow(
      /R-SET-8/,
    );
    await expect(sql.query(`UPDATE statements SET closing = 0 WHERE id = $1`, [q1.id])).rejects.toThrow(/frozen/);
  });

  it('R-SET-8 posting writes a balanced double-entry ledger, sets the next opening and publishes StatementPosted', async () => {
    const res = await request(svc.url).post(`/v1/statements/${q1.id}/post`).set(bob).expect(200);
    expect(res.body).toMatchObject({
      status: 'POSTED',
      postedBy: 'finance-bob',
      outcome: { carriedForward: '5350.00', nextOpening: '5350.00' },
    });
    const { rows } = await sql.query(
      `SELECT sum(debit)::text AS d, sum(credit)::text AS c, count(*)::int AS n FROM ledger_entries WHERE statement_id = $1`,
      [q1.id],
    );
    expect(rows[0].d).toBe(rows[0].c);
    expect(rows[0].n).toBeGreaterThan(0);
    const fund = await sql.query(
      `SELECT (sum(credit) - sum(debit))::text AS balance FROM ledger_entries WHERE account = 'dealer-fund:D001'`,
    );
    expect(fund.rows[0].balance).toBe('5350.00');
    const ledger = await request(svc.url)
      .get('/v1/ledger')
      .query({ dealer: 'D001', quarter: '2026-Q1', limit: 2 })
      .set(auditor)
      .expect(200);
    expect(ledger.body.items).toHaveLength(2);
    expect(ledger.body.nextCursor).toEqual(expect.any(String));
    const event = await settlementEvent('StatementPosted', q1.id);
    expect(event.payload).toMatchObject({
      closing: '5350.00',
      carriedForward: '5350.00',
      billedToDealer: '0.00',
      nextOpening: '5350.00',
    });
    const again = await request(svc.url).post(`/v1/statements/${q1.id}/post`).set(bob);
    expect(again.status).toBe(409);
  });

  it('R-SET-8 PostgreSQL refuses UPDATE and DELETE on a posted statement, its lines and the ledger', async () => {
    await expect(sql.query(`UPDATE statements SET closing = 0 WHERE id = $1`, [q1.id])).rejects.toThrow(/POSTED/);
    await expect(sql.query(`DELETE FROM statements WHERE id = $1`, [q1.id])).rejects.toThrow(/cannot be deleted/);
    await expect(
      sql.query(`UPDATE statement_lines SET description = 'x' WHERE statement_id = $1`, [q1.id]),
    ).rejects.toThrow(/R-SET-8/);
    await expect(sql.query(`DELETE FROM statement_lines WHERE statement_id = $1`, [q1.id])).rejects.toThrow(/R-SET-8/);
    await expect(
      sql.query(
        `INSERT INTO statement_lines (statement_id, position, rule_id, kind, period, description, amount, affects_balance, sources) VALUES ($1, 99, 'X', 'X', '2026-01', 'x', 1, true, '{}')`,
        [q1.id],
      ),
    ).rejects.toThrow(/R-SET-8/);
    await expect(
      sql.query(`UPDATE ledger_entries SET debit = debit + 1 WHERE statement_id = $1`, [q1.id]),
    ).rejects.toThrow(/append-only/);
    await expect(sql.query(`DELETE FROM ledger_entries WHERE statement_id = $1`, [q1.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query(`TRUNCATE ledger_entries CASCADE`)).rejects.toThrow(/append-only/);
  });

  let disputeId: string;

  it('R-DSP-1 the dealer disputes its own posted statement within disputeMonths; other dealers cannot see it', async () => {
    const other = await request(svc.url)
      .post(`/v1/statements/${q1.id}/disputes`)
      .set(d002)
      .send({ reason: 'not mine' });
    expect(other.status).toBe(404);
    const res = await request(svc.url)
      .post(`/v1/statements/${q1.id}/disputes`)
      .set(d001)
      .send({ reason: 'February controller was returned unused.' })
      .expect(201);
    expect(res.body).toMatchObject({ status: 'OPEN', dealerCode: 'D001', quarter: '2026-Q1' });
    disputeId = res.body.id;
  });

  it('R-DSP-1 a dispute after the window is refused with DISPUTE_WINDOW_CLOSED', async () => {
    const clock = svc.app.get(Clock);
    const realNow = clock.now.bind(clock);
    clock.now = () => new Date(realNow().getTime() + 100 * 86_400_000);
    try {
      const late = await request(svc.url)
        .post(`/v1/statements/${q1.id}/disputes`)
        .set(d001)
        .send({ reason: 'too late' });
      expect(late.status).toBe(422);
      expect(late.body).toMatchObject({ code: 'DISPUTE_WINDOW_CLOSED' });
    } finally {
      clock.now = realNow;
    }
    // D002 agreed disputeMonths 0: its window closes at posting.
    const d2 = await statementOf('D002', '2026-Q1');
    await request(svc.url).post(`/v1/statements/${d2.id}/approve`).set(alice).expect(200);
    await request(svc.url).post(`/v1/statements/${d2.id}/post`).set(alice).expect(200);
    const refused = await request(svc.url).post(`/v1/statements/${d2.id}/disputes`).set(d002).send({ reason: 'late' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('DISPUTE_WINDOW_CLOSED');
    const payout = await sql.query(
      `SELECT account, credit::text FROM ledger_entries WHERE statement_id = $1 AND account = 'payable:D002'`,
      [d2.id],
    );
    expect(payout.rows).toEqual([{ account: 'payable:D002', credit: '150.00' }]);
  });

  it('R-DSP-2 an accepted amount and R-SET-7 a late fact enter the next open statement, whose opening chains (R-SET-4)', async () => {
    const noAmount = await request(svc.url)
      .post(`/v1/disputes/${disputeId}/resolve`)
      .set(bob)
      .send({ decision: 'ACCEPTED', note: 'ok' });
    expect(noAmount.status).toBe(400);
    const ok = await request(svc.url)
      .post(`/v1/disputes/${disputeId}/resolve`)
      .set(bob)
      .send({ decision: 'ACCEPTED', amount: '180.00', note: 'controller credited' })
      .expect(200);
    expect(ok.body).toMatchObject({ status: 'ACCEPTED', amount: '180.00', entersQuarter: '2026-Q2' });
    // A February card accepted after Q1's approval (R-SET-7).
    await publishCards('D001', '2026-02', cards('2026-02', 2));
    await factsArrived();
    const run = await runQuarter('2026-Q2');
    expect(run.errors).toEqual([]);
    const q2 = await statementOf('D001', '2026-Q2');
    expect(q2.opening).toBe('5350.00');
    const byKind = (kind: string) => q2.lines.filter((l: { kind: string }) => l.kind === kind);
    expect(byKind('DISPUTE_RESOLUTION')).toEqual([expect.objectContaining({ ruleId: 'R-DSP-2', amount: '180.00' })]);
    expect(byKind('PRIOR_PERIOD_ADJUSTMENT')).toEqual([
      expect.objectContaining({ ruleId: 'R-SET-7', amount: '30.00' }),
    ]);
    expect(byKind('PRIOR_PERIOD_ADJUSTMENT')[0].description).toContain('2026-02');
  });

  it('R-SET-9 verification recomputes the posted statement from the facts as they were at approval and matches line by line', async () => {
    const res = await request(svc.url).get(`/v1/statements/${q1.id}/verification`).set(auditor).expect(200);
    expect(res.body).toMatchObject({ matches: true, storedHash: q1.contentHash, recomputedHash: q1.contentHash });
    expect(res.body.lines.every((l: { matches: boolean }) => l.matches)).toBe(true);
  });

  it('R-SET-9 verification reports a mismatch when a stored line was tampered with', async () => {
    // Tampering is impossible through the triggers; the test disables one as the table owner would, then restores it.
    await sql.query(`ALTER TABLE statement_lines DISABLE TRIGGER statement_lines_immutable_update`);
    try {
      await sql.query(`UPDATE statement_lines SET amount = amount + 1 WHERE statement_id = $1 AND position = 1`, [
        q1.id,
      ]);
    } finally {
      await sql.query(`ALTER TABLE statement_lines ENABLE TRIGGER statement_lines_immutable_update`);
    }
    const res = await request(svc.url).get(`/v1/statements/${q1.id}/verification`).set(auditor).expect(200);
    expect(res.body.matches).toBe(false);
    expect(res.body.recomputedHash).toBe(q1.contentHash);
    expect(res.body.storedLinesHash).not.toBe(q1.contentHash);
    expect(
      res.body.lines.filter((l: { matches: boolean }) => !l.matches).map((l: { position: number }) => l.position),
    ).toEqual([1]);
  });

  it('auditors read statements, consumed events and exports, paginated and read-only', async () => {
    const mine = await request(svc.url).get('/v1/statements').set(d001).expect(200);
    expect(mine.body.items.every((s: { dealerCode: string }) => s.dealerCode === 'D001')).toBe(true);
    await request(svc.url).get(`/v1/statements/${q1.id}`).set(d002).expect(404);
    const events = await request(svc.url)
      .get('/v1/events')
      .query({ dealer: 'D001', type: 'MonthlyReportSubmitted', limit: 2 })
      .set(auditor)
      .expect(200);
    expect(events.body.items).toHaveLength(2);
    expect(events.body.items[0]).toMatchObject({ type: 'MonthlyReportSubmitted', dealerCode: 'D001' });
    const next = await request(svc.url)
      .get('/v1/events')
      .query({ dealer: 'D001', type: 'MonthlyReportSubmitted', limit: 2, cursor: events.body.nextCursor })
      .set(auditor)
      .expect(200);
    expect(next.body.items).toHaveLength(1);
    await request(svc.url).post('/v1/settlements/2026-Q1/runs').set(auditor).expect(403);
    const pdf = await download(`/v1/statements/${q1.id}/export.pdf`, d001).expect(200);
    expect(pdf.headers['content-type']).toMatch(/application\/pdf/);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await download('/v1/settlements/2026-Q1/export.xlsx', auditor).expect(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const spec = await request(svc.url).get('/docs-json').expect(200);
    expect(spec.headers['access-control-allow-origin']).toBe('*');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/settlements/{quarter}/runs',
        '/v1/statements/{id}/verification',
        '/v1/ledger',
        '/v1/events',
      ]),
    );
  });

  it('lists newest first: statements by quarter, ledger by posting, events by time, disputes by raising; pages of 2 chain to the same list', async () => {
    const pages = async (path: string, query: Record<string, string | number> = {}) => {
      const all = await request(svc.url).get(path).query(query).set(auditor).expect(200);
      const chained: any[] = [];
      let cursor: string | undefined;
      do {
        const res = await request(svc.url)
          .get(path)
          .query({ ...query, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(auditor)
          .expect(200);
        chained.push(...res.body.items);
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      expect(chained).toEqual(all.body.items);
      expect(all.body.items.length).toBeGreaterThan(2);
      return all.body.items as any[];
    };
    const descending = (keys: string[]) => expect(keys).toEqual([...keys].sort().reverse());

    const statements = await pages('/v1/statements');
    descending(statements.map((x) => x.quarter));
    const ledger = await pages('/v1/ledger');
    expect(ledger.map((e) => Number(e.id))).toEqual(ledger.map((e) => Number(e.id)).sort((a, b) => b - a));
    const events = await pages('/v1/events', { dealer: 'D001' });
    descending(events.map((e) => e.occurredAt));
    const disputes = await request(svc.url).get('/v1/disputes').set(auditor).expect(200);
    descending(disputes.body.items.map((d: { raisedAt: string }) => d.raisedAt));
  });

  it('R-SET-2 a run whose instance is alive keeps its quarter (409); one left RUNNING by an instance that stopped is marked FAILED by the next start', async () => {
    const quarter = '2025-Q4';
    const left = randomUUID();
    await sql.query(
      `INSERT INTO settlement_runs (id, quarter, started_by, status, dealers_total, started_at) VALUES ($1, $2, 'finance-bob', 'RUNNING', 2, now())`,
      [left, quarter],
    );
    // The instance running it holds its job lock on a session of its own (holdJobLock).
    const instance = new Client({ connectionString: dbUrl });
    await instance.connect();
    await instance.query(`SELECT pg_advisory_lock($1, hashtext($2))`, [0x4a4f4253, `settlement-run:${left}`]);
    const start = () => request(svc.url).post(`/v1/settlements/${quarter}/runs`).set(bob);
    try {
      const refused = await start();
      expect(refused.status).toBe(409);
      expect(refused.body.type).toMatch(/in-progress/);
    } finally {
      await instance.end(); // the instance stops: its session, and the lock, end
    }
    const started = await start();
    expect(started.status).toBe(202);
    const { rows } = await sql.query(`SELECT status, errors, finished_at FROM settlement_runs WHERE id = $1`, [left]);
    expect(rows).toEqual([
      {
        status: 'FAILED',
        errors: [{ dealerCode: '*', message: 'abandoned: the instance running it stopped before it finished' }],
        finished_at: expect.any(Date),
      },
    ]);
    const audit = await sql.query(
      `SELECT details FROM audit_log WHERE action = 'settlement-run.abandoned' AND entity_id = $1`,
      [left],
    );
    expect(audit.rows).toEqual([{ details: { quarter, replacedBy: started.body.id } }]);
    const done = await eventually(async () => {
      const res = await request(svc.url)
        .get(`/v1/settlements/${quarter}/runs/${started.body.id}`)
        .set(auditor)
        .expect(200);
      return res.body.status === 'RUNNING' ? undefined : res.body;
    }, 30_000);
    expect(done.status).toBe('DONE');
    // The finished run gave its lock back: the next start is not refused.
    expect((await start()).status).toBe(202);
  });
});
