import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventRegistry, Topics } from '@app/contracts';
import {
  createTestDatabase,
  eventually,
  KafkaProbe,
  people,
  startMockBroker,
  useServiceUnderTest,
  startTestService,
  testEnvelope,
  workedExampleTerms,
} from '@app/testing';
import type { RunningService } from '@app/testing';
import { computeStatement } from '../engine/compute-statement';
import { statementCanonicalJson } from '../engine/canonical-json';
import { SettlementAppModule } from '../settlement-app.module';
import { TalliesService } from '../tallies/tallies.service';
import { FactsRepository } from './facts.repository';
import { returnCharge, SALES_REPORT_FIGURES } from '../settlement.test-support';

jest.setTimeout(120_000);

const { financeAlice: finance, auditor, d001, d002 } = people;

const TERMS = workedExampleTerms();

/** The topic an event type travels on (the contracts say). */
const topicOf = (type: string): string => eventRegistry.get(type, 1)!.topic;

let t0 = Date.parse('2026-04-01T00:00:00Z');
function envelope(type: string, dealerCode: string, payload: unknown, producer = 'dealers') {
  t0 += 1000;
  return testEnvelope(type, dealerCode, payload, { producer, occurredAt: new Date(t0) });
}
const cards = (prefix: string, n: number, model: string, month: string) =>
  Array.from({ length: n }, (_, i) => ({
    serial: `${prefix}${String(i).padStart(4, '0')}`,
    model,
    saleDate: `${month}-10`,
    outlet: 'D001',
    flags: [],
  }));
const report = (month: string, due: string) => ({
  dealerCode: 'D001',
  month,
  part: 'SALES',
  partVersion: 1,
  firstSubmittedAt: `${month}-28T02:00:00.000Z`,
  dueAt: due,
  onTime: true,
  ...SALES_REPORT_FIGURES,
});

/** The events of DOMAIN §8 (Q1 2026, dealer D001), as the other services publish them. */
function workedExampleEvents(): Array<{ topic: string; env: ReturnType<typeof envelope> }> {
  const jan = randomUUID();
  const mar = randomUUID();
  const list: Array<{ topic: string; env: ReturnType<typeof envelope> }> = [];
  const d = (type: string, payload: unknown) =>
    list.push({ topic: topicOf(type), env: envelope(type, 'D001', payload) });
  d('DealerRegistered', { code: 'D001', name: '上海永安车行', region: '华东', status: 'ACTIVE' });
  d('AgreementVersionSet', { dealerCode: 'D001', version: 1, effectiveFrom: '2026-01-01', terms: TERMS });
  d('WarrantyCardsAccepted', {
    dealerCode: 'D001',
    reportMonth: '2026-01',
    batchId: jan,
    cards: [...cards('J', 100, 'EB-100', '2026-01'), ...cards('K', 20, 'EB-200', '2026-01')],
  });
  d('WarrantyCardsAccepted', {
    dealerCode: 'D001',
    reportMonth: '2026-02',
    batchId: randomUUID(),
    cards: cards('F', 80, 'EB-100', '2026-02'),
  });
  d('WarrantyCardsAccepted', {
    dealerCode: 'D001',
    reportMonth: '2026-03',
    batchId: mar,
    cards: [...cards('M', 150, 'EB-100', '2026-03'), ...cards('W', 1, 'EB-100', '2026-03')],
  });
  // A card accepted and withdrawn again: it does not count.
  d('WarrantyCardWithdrawn', { dealerCode: 'D001', reportMonth: '2026-03', serial: 'W0000', batchId: mar });
  d('MonthlyReportSubmitted', report('2026-01', '2026-02-03T15:59:59.000Z'));
  d('MonthlyReportSubmitted', report('2026-02', '2026-03-03T15:59:59.000Z'));
  d('MonthlyReportSubmitted', report('2026-03', '2026-04-03T15:59:59.000Z'));
  const audit = randomUUID();
  for (const serial of ['M0000', 'M0001']) {
    d('CallbackAuditRecorded', {
      dealerCode: 'D001',
      reportMonth: '2026-03',
      auditId: audit,
      serial,
      model: 'EB-100',
      result: 'FALSIFIED',
      recordedOn: '2026-03-25',
    });
  }
  d('CallbackAuditRecorded', {
    dealerCode: 'D001',
    reportMonth: '2026-03',
    auditId: audit,
    serial: 'M0002',
    model: 'EB-100',
    result: 'VERIFIED',
    recordedOn: '2026-03-25',
  });
  d('ComplaintRecorded', {
    dealerCode: 'D001',
    complaintId: randomUUID(),
    reference: 'CMP-2026-001',
    date: '2026-02-14',
    amount: '1000.00',
    description: 'rude service',
  });
  const r = (payload: unknown) =>
    list.push({ topic: Topics.requisitions, env: envelope('RequisitionApproved', 'D001', payload, 'requisitions') });
  const line = (
    lineId: string,
    partNo: string,
    partName: string,
    quantity: number,
    listPrice: string,
    amount: string,
  ) => ({
    lineId,
    partNo,
    partName,
    quantity,
    purpose: 'STOCK',
    listPrice,
    costPrice: '1.00',
    amount,
    chargeTo: 'ALLOWANCE',
  });
  r({
    dealerCode: 'D001',
    requisitionId: randomUUID(),
    approvedOn: '2026-01-12',
    urgent: false,
    lines: [line('1', 'BP-1', 'brake pad', 10, '12.50', '125.00')],
    urgentFreightDifference: null,
  });
  r({
    dealerCode: 'D001',
    requisitionId: randomUUID(),
    approvedOn: '2026-02-20',
    urgent: true,
    lines: [line('1', 'CT-1', 'controller', 2, '180.00', '360.00')],
    urgentFreightDifference: '35.00',
  });
  const ret = (payload: unknown) =>
    list.push({ topic: Topics.returns, env: envelope('ReturnClosed', 'D001', payload, 'returns') });
  ret({
    dealerCode: 'D001',
    returnId: randomUUID(),
    closedOn: '2026-03-10',
    returnClass: 'IN_WARRANTY',
    charges: [
      returnCharge('INBOUND_FREIGHT', 'DEALER_ALLOWANCE', '60.00', 'carrier bill 881'),
      returnCharge('REFURBISHMENT_PARTS', 'DEALER_ALLOWANCE', '180.00', '1 × controller'),
      returnCharge('OUTBOUND_FREIGHT', 'MANUFACTURER', '60.00', 'carrier bill 882'),
    ],
  });
  ret({
    dealerCode: 'D001',
    returnId: randomUUID(),
    closedOn: '2026-03-11',
    returnClass: 'DOA',
    charges: [returnCharge('INBOUND_FREIGHT', 'MANUFACTURER', '45.00', 'carrier bill 883')],
  });
  list.push({
    topic: Topics.dealerRegistry,
    env: envelope('DealerRegistered', 'D002', { code: 'D002', name: '杭州车行', region: null, status: 'ACTIVE' }),
  });
  return list;
}

const PROJECTION_TABLES: Record<string, string> = {
  card_facts:
    'batch_id, serial, dealer_code, report_month, model, sale_date, source_event_id, withdrawn_at IS NULL AS counted',
  report_submissions:
    'dealer_code, month, first_submitted_at, on_time, units_sold, surveyed, satisfied, source_event_id',
  audit_findings: 'audit_id, serial, dealer_code, report_month, model, result, recorded_on',
  complaint_facts: 'id, dealer_code, reference, date, amount',
  requisition_line_facts:
    'requisition_id, line_id, dealer_code, approved_on, part_no, quantity, list_price, amount, charge_to',
  urgent_freight_facts: 'requisition_id, dealer_code, approved_on, amount',
  return_charge_facts: 'return_id, seq, dealer_code, closed_on, return_class, kind, payer, amount',
  consumed_events: 'event_id, type, version, dealer_code, occurred_at, producer, correlation_id, payload',
  known_dealers: 'code, name, region, status, source_event_id',
  known_agreements: 'dealer_code, version, effective_from, terms, source_event_id',
};

async function snapshot(sql: Client): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [t, cols] of Object.entries(PROJECTION_TABLES))
    out[t] = (await sql.query(`SELECT ${cols} FROM ${t} ORDER BY 1, 2`)).rows;
  return out;
}

describe('settlement facts, finance inputs and monthly tally on PostgreSQL and the broker', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  const events = workedExampleEvents();

  const balance = () => request(svc.url).get('/v1/dealers/D001/balance?quarter=2026-Q1').set(finance);

  useServiceUnderTest('settlement', SettlementAppModule, 'int_settlement_facts', async (stack) => {
    ({ svc, sql, probe } = stack);
    for (const e of events) await probe.publish(e.topic, e.env.dealerCode, JSON.stringify(e.env));
    const dlq = await probe.collect('settlement.dlq.v1');
    try {
      await eventually(async () => {
        const { rows } = await sql.query(`SELECT count(*)::int AS n FROM consumed_events`);
        return rows[0].n === events.length ? true : undefined;
      }, 60_000);
    } catch (err) {
      const { rows } = await sql.query(`SELECT type, count(*)::int AS n FROM consumed_events GROUP BY type`);
      throw new Error(
        `${(err as Error).message}: consumed ${JSON.stringify(rows)}; dead letters ${JSON.stringify(dlq.map((m) => JSON.parse(m.value ?? '{}').reason))}`,
      );
    }
  });

  it('R-SET-2 the worked example from events: FactsRepository + engine give 3,295.00 with 35.00 invoiced', async () => {
    const facts = svc.app.get(FactsRepository);
    const input = await facts.loadStatementInput('D001', '2026-Q1', {
      openingBalance: '0.00',
      approvedQuarters: new Map(),
    });
    expect(input.cardCounts).toEqual(
      expect.arrayContaining([
        { month: '2026-01', model: 'EB-100', count: 100 },
        { month: '2026-01', model: 'EB-200', count: 20 },
        { month: '2026-02', model: 'EB-100', count: 80 },
        { month: '2026-03', model: 'EB-100', count: 148 },
      ]),
    );
    expect(input.excludedCards.map((c) => c.serial).sort()).toEqual(['M0000', 'M0001']);
    const result = computeStatement(input);
    expect(result.closing).toBe('3295.00');
    expect(result.totals.invoiced).toBe('35.00');
    expect(result.outcome.nextOpening).toBe('3295.00');
    // Many dealers at once answer the same, and dealers without an agreement are left out.
    const many = await facts.loadStatementInputs(
      [
        { dealerCode: 'D002', openingBalance: '0.00', approvedQuarters: new Map() },
        { dealerCode: 'D001', openingBalance: '0.00', approvedQuarters: new Map() },
      ],
      '2026-Q1',
    );
    expect(many.map((i) => i.dealerCode)).toEqual(['D001']);
    expect(statementCanonicalJson(computeStatement(many[0]))).toBe(statementCanonicalJson(result));
  });

  it('R-SET-1 the dealer sees its quarter-to-date balance from the engine; other dealers get 404', async () => {
    const res = await balance().expect(200);
    expect(res.body).toMatchObject({
      dealerCode: 'D001',
      quarter: '2026-Q1',
      provisional: true,
      opening: '0.00',
      closing: '3295.00',
      invoiced: '35.00',
    });
    expect(res.body.months.map((m: { cards: number }) => m.cards)).toEqual([120, 80, 148]);
    await request(svc.url).get('/v1/dealers/D001/balance?quarter=2026-Q1').set(d001).expect(200);
    await request(svc.url).get('/v1/dealers/D001/balance?quarter=2026-Q1').set(d002).expect(404);
  });

  it('R-SET-1 finance tallies a month: figures and quarter-to-date balance stored, DealerBalanceTallied published', async () => {
    const topic = await probe.collect(Topics.settlement);
    const run = await request(svc.url).post('/v1/tallies/2026-02').set(finance);
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ month: '2026-02', quarter: '2026-Q1', trigger: 'FINANCE', dealers: 1 });
    const { rows } = await sql.query(
      `SELECT month_accrual, month_net, month_invoiced, quarter_balance FROM monthly_tallies WHERE dealer_code = 'D001' AND month = '2026-02'`,
    );
    // Jan 1,900 − 125 parts; Feb 1,200 − 360 parts − 1,000 complaint; invoiced 35 freight.
    expect(rows[0]).toEqual({
      month_accrual: '1200.00',
      month_net: '-160.00',
      month_invoiced: '35.00',
      quarter_balance: '1615.00',
    });
    const msg = await eventually(async () => topic.find((m) => m.value?.includes('DealerBalanceTallied')), 30_000);
    expect(JSON.parse(msg.value!).payload).toMatchObject({
      dealerCode: 'D001',
      quarter: '2026-Q1',
      balance: '1615.00',
    });
    const view = await balance().expect(200);
    expect(view.body.months[1].tally).toMatchObject({ closing: '1615.00', trigger: 'FINANCE' });
    await request(svc.url).post('/v1/tallies/2026-02').set(auditor).expect(403);
  });

  it('R-SET-1 the scheduled check tallies the months whose report due time passed, once', async () => {
    const tallies = svc.app.get(TalliesService);
    // 2026-04-03 23:59:59 Asia/Shanghai has not passed at 15:00 UTC on the 3rd: March is not due yet; January is.
    const before = await tallies.tallyDue(new Date('2026-04-03T15:00:00Z'));
    expect(before.map((r) => r.month)).toEqual(['2026-01']);
    const after = await tallies.tallyDue(new Date('2026-04-03T16:00:00Z'));
    expect(after.map((r) => r.month)).toEqual(['2026-03']);
    const { rows } = await sql.query(
      `SELECT month, trigger, quarter_balance FROM monthly_tallies WHERE dealer_code = 'D001' ORDER BY month`,
    );
    expect(rows).toEqual([
      { month: '2026-01', trigger: 'SCHEDULE', quarter_balance: '1775.00' },
      { month: '2026-02', trigger: 'FINANCE', quarter_balance: '1615.00' },
      { month: '2026-03', trigger: 'SCHEDULE', quarter_balance: '3295.00' },
    ]);
    expect(await tallies.tallyDue(new Date('2026-04-04T00:00:00Z'))).toEqual([]);
  });

  it('finance inputs are idempotent on the reference: 201, same content 200, other content 409', async () => {
    const body = { reference: 'ERP-RC-1', dealerCode: 'D001', valueDate: '2026-01-15', amount: '15000.00' };
    const first = await request(svc.url).post('/v1/collections').set(finance).send(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      reference: 'ERP-RC-1',
      dealerCode: 'D001',
      valueDate: '2026-01-15',
      amount: '15000.00',
      recordedBy: 'finance-alice',
    });
    const again = await request(svc.url).post('/v1/collections').set(finance).send(body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await request(svc.url)
      .post('/v1/collections')
      .set(finance)
      .send({ ...body, amount: '15000.01' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'REFERENCE_CONFLICT' });
    const bad = await request(svc.url)
      .post('/v1/purchases')
      .set(finance)
      .send({ reference: 'P-1', dealerCode: 'D001', invoiceDate: '2026-02-30', amount: '-1' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'invoiceDate']);
    const breach = await request(svc.url)
      .post('/v1/breaches')
      .set(finance)
      .send({ reference: 'BR-1', dealerCode: 'D002', quarter: '2026-Q1', reason: 'sold outside the territory' });
    expect(breach.status).toBe(201);
    const { rows } = await sql.query(
      `SELECT action FROM audit_log WHERE entity_type IN ('collection', 'breach') ORDER BY id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['collection.recorded', 'breach.recorded']);
  });

  it('bulk import (JSON and CSV): every bad row listed with its number, nothing written; a good import writes all', async () => {
    const csvBad =
      'reference,dealerCode,invoiceDate,amount\nINV-1,D001,2026-01-20,100.00\nINV-2,D001,2026-13-01,5\nINV-3,D999,2026-01-21,1.00\nINV-4,D001,2026-01-22,abc\n';
    const bad = await request(svc.url).post('/v1/purchases').set(finance).set('content-type', 'text/csv').send(csvBad);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'rows[2].invoiceDate',
      'rows[3].dealerCode',
      'rows[4].amount',
    ]);
    const unknownDealer = await request(svc.url)
      .post('/v1/purchases')
      .set(finance)
      .send([
        { reference: 'INV-1', dealerCode: 'D001', invoiceDate: '2026-01-20', amount: '100.00' },
        { reference: 'INV-3', dealerCode: 'D999', invoiceDate: '2026-01-21', amount: '1.00' },
      ]);
    expect(unknownDealer.status).toBe(409);
    expect(unknownDealer.body.errors).toEqual([
      expect.objectContaining({ field: 'rows[2].dealerCode', rule: 'knownDealer' }),
    ]);
    expect((await sql.query(`SELECT count(*)::int AS n FROM purchases`)).rows[0].n).toBe(0);

    const csv =
      'reference,dealerCode,invoiceDate,amount,note\nINV-1,D001,2026-01-20,100.00,first\nINV-2,D001,2026-04-01,200.50,\n';
    const ok = await request(svc.url).post('/v1/purchases').set(finance).set('content-type', 'text/csv').send(csv);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ created: 2, unchanged: 0 });
    const same = await request(svc.url)
      .post('/v1/purchases')
      .set(finance)
      .send([{ reference: 'INV-1', dealerCode: 'D001', invoiceDate: '2026-01-20', amount: '100.00', note: 'first' }]);
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ created: 0, unchanged: 1 });

    const q1 = await request(svc.url).get('/v1/purchases?dealer=D001&period=2026-Q1').set(auditor).expect(200);
    expect(q1.body.items.map((p: { reference: string }) => p.reference)).toEqual(['INV-1']);
    const page1 = await request(svc.url).get('/v1/purchases?limit=1').set(finance).expect(200);
    // Newest invoice date first.
    expect(page1.body.items.map((p: { reference: string }) => p.reference)).toEqual(['INV-2']);
    const page2 = await request(svc.url)
      .get(`/v1/purchases?limit=1&cursor=${page1.body.nextCursor}`)
      .set(finance)
      .expect(200);
    expect(page2.body.items[0].reference).toBe('INV-1');
    const own = await request(svc.url).get('/v1/breaches?dealer=D002').set(d001).expect(200);
    expect(own.body.items).toEqual([]);
  });

  it('every consumed envelope is journalled and listed by dealer, type and time', async () => {
    const { ConsumedEventsRepository } = await import('./consumed-events.repository');
    const repo = svc.app.get(ConsumedEventsRepository);
    const page = await repo.list({ dealer: 'D001', type: 'WarrantyCardsAccepted' }, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ type: 'WarrantyCardsAccepted', dealerCode: 'D001', producer: 'dealers' });
    const rest = await repo.list(
      { dealer: 'D001', type: 'WarrantyCardsAccepted' },
      { limit: 2, cursor: page.nextCursor! },
    );
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
  });

  it('the projections rebuild by replay into an empty database with an identical result', async () => {
    const original = await snapshot(sql);
    const broker2 = await startMockBroker();
    const db2 = await createTestDatabase('int_settlement_replay');
    const svc2 = await startTestService('settlement', (c) => SettlementAppModule.register(c), {
      databaseUrl: db2.url,
      brokers: broker2.brokers,
    });
    const sql2 = new Client({ connectionString: db2.url });
    await sql2.connect();
    const probe2 = new KafkaProbe(broker2.brokers);
    try {
      const journal = (
        await sql.query(
          `SELECT event_id, type, version, dealer_code, occurred_at, producer, correlation_id, causation_id, payload FROM consumed_events ORDER BY occurred_at, event_id`,
        )
      ).rows;
      // The registry's topic is not ordered with the others: its events are sent last here, after
      // every fact of the dealer, and the rebuild must still come out the same.
      const registryLast = [
        ...journal.filter((r) => topicOf(r.type) !== Topics.dealerRegistry),
        ...journal.filter((r) => topicOf(r.type) === Topics.dealerRegistry),
      ];
      expect(topicOf(registryLast[registryLast.length - 1].type)).toBe(Topics.dealerRegistry);
      for (const r of registryLast) {
        const env = {
          eventId: r.event_id,
          type: r.type,
          version: r.version,
          occurredAt: (r.occurred_at as Date).toISOString(),
          producer: r.producer,
          dealerCode: r.dealer_code,
          correlationId: r.correlation_id,
          causationId: r.causation_id,
          payload: r.payload,
        };
        await probe2.publish(topicOf(r.type), r.dealer_code, JSON.stringify(env));
      }
      await eventually(
        async () =>
          (await sql2.query(`SELECT count(*)::int AS n FROM consumed_events`)).rows[0].n === journal.length
            ? true
            : undefined,
        60_000,
      );
      expect(await snapshot(sql2)).toEqual(original);
      const a = await svc.app
        .get(FactsRepository)
        .loadStatementInput('D001', '2026-Q1', { openingBalance: '0.00', approvedQuarters: new Map() });
      const b = await svc2.app
        .get(FactsRepository)
        .loadStatementInput('D001', '2026-Q1', { openingBalance: '0.00', approvedQuarters: new Map() });
      expect(statementCanonicalJson(computeStatement(b))).toBe(statementCanonicalJson(computeStatement(a)));
    } finally {
      await probe2.close();
      await sql2.end();
      await svc2.close();
      await broker2.stop();
      await db2.drop();
    }
  });

  it('R-SET-7 facts of an approved quarter arriving after approval become late facts of the next open quarter', async () => {
    const facts = svc.app.get(FactsRepository);
    const approvedAt = new Date(Date.now() - 1000);
    const late = envelope('CallbackAuditRecorded', 'D001', {
      dealerCode: 'D001',
      reportMonth: '2026-01',
      auditId: randomUUID(),
      serial: 'K0000',
      model: 'EB-200',
      result: 'FALSIFIED',
      recordedOn: '2026-04-10',
    });
    const complaint = envelope('ComplaintRecorded', 'D001', {
      dealerCode: 'D001',
      complaintId: randomUUID(),
      reference: 'CMP-LATE',
      date: '2026-03-30',
      amount: '1000.00',
      description: 'late',
    });
    await probe.publish(Topics.dealers, 'D001', JSON.stringify(late));
    await probe.publish(Topics.dealers, 'D001', JSON.stringify(complaint));
    await eventually(
      async () =>
        (await sql.query(`SELECT 1 FROM complaint_facts WHERE reference = 'CMP-LATE'`)).rowCount ? true : undefined,
      30_000,
    );

    const q2 = await facts.loadStatementInput('D001', '2026-Q2', {
      openingBalance: '3295.00',
      approvedQuarters: new Map([['2026-Q1', approvedAt]]),
    });
    expect(q2.lateFacts.map((f) => f.kind).sort()).toEqual(['AUDIT_FINDING', 'COMPLAINT']);
    const r = computeStatement(q2);
    const adj = r.lines.filter((l) => l.ruleId === 'R-SET-7');
    expect(adj.map((l) => [l.period, l.amount])).toEqual([
      ['2026-01', '-20.00'],
      ['2026-01', '-200.00'],
      ['2026-03', '-1000.00'],
    ]);
    expect(r.closing).toBe('2075.00');
    // Q1 as of its approval is unchanged (the late facts are not in it).
    const q1 = await facts.loadStatementInput('D001', '2026-Q1', {
      openingBalance: '0.00',
      approvedQuarters: new Map(),
      asOf: approvedAt,
    });
    expect(computeStatement(q1).closing).toBe('3295.00');
    // Once Q2 is approved too (before the facts came), they go to Q3 instead.
    const q3 = await facts.loadStatementInput('D001', '2026-Q3', {
      openingBalance: '0.00',
      approvedQuarters: new Map([
        ['2026-Q1', approvedAt],
        ['2026-Q2', approvedAt],
      ]),
    });
    expect(q3.lateFacts).toHaveLength(2);
    const q2Again = await facts.loadStatementInput('D001', '2026-Q2', {
      openingBalance: '0.00',
      approvedQuarters: new Map([
        ['2026-Q1', approvedAt],
        ['2026-Q2', approvedAt],
      ]),
    });
    expect(q2Again.lateFacts).toHaveLength(0);
  });
});
