import { request as httpRequest, Agent } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import request from 'supertest';
import {
  agreementRequest,
  bearer,
  eventually,
  fingerprintChanges,
  people,
  RunningService,
  settledFingerprint,
  TableFingerprint,
  tableFingerprint,
  TEST_JWT_SECRET,
  testToken,
} from '@app/testing';
import { startSystem, TestSystem } from './support/system';
import {
  bodyCases,
  exampleOf,
  Json,
  OpenApiDocument,
  Operation,
  pathValues,
  queryValues,
  sample,
  seededRandom,
} from './support/fuzz-cases';

jest.setTimeout(15 * 60_000);

/**
 * Every operation of the four OpenAPI documents, sent malformed: no answer may be a 5xx, every
 * 4xx must be a problem, and a refused request must leave every table of its service's database
 * as it found it. Cases come from a seeded generator, so a run repeats exactly.
 */
const SEED = 20261201;
const FIELDS_PER_BODY = 24;
const QUERY_PARAMS_PER_OPERATION = 6;

const financeA = people.financeAlice;
const financeB = people.financeBob;
const afterSales = people.afterSalesWang;
const dealerD001 = bearer('dealer', 'D001', 'dealer-d001');

interface Target {
  name: string;
  svc: RunningService;
  doc: OpenApiDocument;
  sql: Client;
}

interface FuzzCase {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  contentType: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** Sends the request exactly as given: the path is not normalised or re-encoded. */
function send(base: string, c: FuzzCase): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: c.method,
        path: c.path,
        agent,
        headers: { ...c.headers, ...(c.body !== undefined ? { 'content-length': Buffer.byteLength(c.body) } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') }),
        );
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`timeout: ${c.method} ${c.path.slice(0, 80)}`)));
    req.on('error', reject);
    if (c.body !== undefined) req.write(c.body);
    req.end();
  });
}

const jwt = new JwtService();
const now = () => Math.floor(Date.now() / 1000);

/** Authorization headers no route may accept, and ones a route may refuse for its role or dealer. */
function tokenCases(op: Operation): Array<{ label: string; authorization?: string }> {
  const roles = op['x-roles'] ?? [];
  const other = ['dealer', 'finance', 'after-sales', 'auditor', 'admin'].find((r) => !roles.includes(r));
  return [
    { label: 'no token' },
    { label: 'garbage token', authorization: 'Bearer not.a.token' },
    { label: 'not a bearer', authorization: 'Basic Zm9vOmJhcg==' },
    {
      label: 'expired token',
      authorization: `Bearer ${jwt.sign({ sub: 'finance-old', role: 'finance', exp: now() - 3600 }, { secret: TEST_JWT_SECRET })}`,
    },
    {
      label: 'token of another secret',
      authorization: `Bearer ${jwt.sign({ sub: 'x', role: 'admin' }, { secret: 'y'.repeat(40) })}`,
    },
    {
      label: 'unknown role',
      authorization: `Bearer ${jwt.sign({ sub: 'x', role: 'root' }, { secret: TEST_JWT_SECRET, expiresIn: 600 })}`,
    },
    {
      label: 'dealer without a dealer claim',
      authorization: `Bearer ${jwt.sign({ sub: 'x', role: 'dealer' }, { secret: TEST_JWT_SECRET, expiresIn: 600 })}`,
    },
    ...(other
      ? [
          {
            label: `role ${other}`,
            authorization: `Bearer ${testToken(other as 'dealer', other === 'dealer' ? 'D001' : undefined)}`,
          },
        ]
      : []),
    ...(roles.includes('dealer')
      ? [{ label: 'another dealer', authorization: `Bearer ${testToken('dealer', 'D002')}` }]
      : []),
  ];
}

/** The role an operation is sent with: one it allows, a writer for writes. */
function principalFor(method: string, op: Operation): string {
  const roles = op['x-roles'] ?? [];
  const preference =
    method === 'get'
      ? ['finance', 'admin', 'after-sales', 'auditor', 'dealer']
      : ['finance', 'after-sales', 'admin', 'dealer'];
  const role = preference.find((r) => roles.includes(r)) ?? 'admin';
  return `Bearer ${role === 'dealer' ? testToken('dealer', 'D001') : testToken(role as 'finance')}`;
}

describe('fuzz: malformed requests for every operation of the four OpenAPI documents', () => {
  let sys: TestSystem;
  let targets: Target[];
  const ids: Record<string, string> = {};
  /** Bodies the seed's resources accept, so that a body broken in one field reaches the rules behind the validation. */
  const validBodies = new Map<string, Json>();

  /** Valid values of path parameters: the seed's own resources, so each route reaches its handler. */
  function validPathValue(path: string, name: string): string {
    const byName: Record<string, string> = {
      code: 'D001',
      month: '2026-01',
      quarter: '2026-Q1',
      model: 'EB-100',
      partNo: 'BP-01',
      reference: 'DN-FUZZ-1',
      part: 'sales',
      serial: ids.serial,
    };
    if (name !== 'id') return byName[name] ?? 'x';
    const prefix = [
      'audits',
      'complaints',
      'violations',
      'requisitions',
      'returns',
      'statements',
      'disputes',
      'runs',
    ].find((p) => path.includes(`/${p}/{id}`));
    return ids[prefix ?? ''] ?? '00000000-0000-4000-8000-000000000000';
  }

  async function seed(): Promise<void> {
    const d = sys.dealers.url;
    for (const code of ['D001', 'D002']) {
      await request(d)
        .post('/v1/dealers')
        .set(financeA)
        .send({ code, name: `Dealer ${code}` })
        .expect(201);
      await request(d).post(`/v1/dealers/${code}/agreements`).set(financeA).send(agreementRequest()).expect(201);
    }
    await request(d).put('/v1/product-models/EB-100').set(financeA).send({ name: 'EB-100' }).expect(201);
    await request(d)
      .post('/v1/dealers/D001/sub-distributors')
      .set(financeA)
      .send({ code: 'S01', name: 'Sub S01' })
      .expect(201);
    await request(d)
      .post('/v1/shipments')
      .set(financeA)
      .send({
        reference: 'DN-FUZZ-1',
        dealerCode: 'D001',
        shippedOn: '2026-01-02',
        serials: [{ serial: 'EB100-FZ-000001', model: 'EB-100' }],
      })
      .expect(201);
    await request(d)
      .put('/v1/dealers/D001/reports/2026-01')
      .set(dealerD001)
      .send({ sales: { lines: [{ outlet: 'D001', model: 'EB-100', units: 3, amount: '5997.00' }] } })
      .expect(200);
    const cards = Array.from({ length: 3 }, (_, i) => ({
      serial: `EB100-FZ-00000${i + 1}`,
      model: 'EB-100',
      saleDate: '2026-01-10',
      consumerName: '张三',
      phone: `1380013800${i}`,
      address: '上海市浦东新区',
    }));
    const batch = await request(d)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(dealerD001)
      .send({ cards })
      .expect(201);
    expect(batch.body.accepted).toBe(3);
    ids.serial = 'EB100-FZ-000001';
    ids.audits = (
      await request(d)
        .post('/v1/audits')
        .set(afterSales)
        .send({ dealerCode: 'D001', month: '2026-01', percent: '50', seed: 'fuzz' })
        .expect(201)
    ).body.id;
    ids.complaints = (
      await request(d)
        .post('/v1/complaints')
        .set(afterSales)
        .send({ dealerCode: 'D001', reference: 'CMP-FUZZ-1', date: '2026-01-20', description: 'x' })
        .expect(201)
    ).body.id;
    ids.violations = (
      await request(d)
        .post('/v1/violations')
        .set(afterSales)
        .send({ dealerCode: 'D001', reference: 'VIO-FUZZ-1', date: '2026-01-21', description: 'x' })
        .expect(201)
    ).body.id;

    for (const svc of [sys.requisitions, sys.returns, sys.settlement]) {
      for (const code of ['D001', 'D002']) {
        await eventually(async () => {
          const res = await request(svc.url).get(`/v1/dealer-directory/${code}`).set(financeA);
          return res.status === 200 && res.body.agreements.length === 1 ? true : undefined;
        }, 60_000);
      }
    }
    await request(sys.requisitions.url)
      .put('/v1/parts/BP-01')
      .set(afterSales)
      .send({ name: 'brake pad', listPrice: '12.50', costPrice: '8.00', effectiveFrom: '2026-01-01' })
      .expect(201);
    const requisition = (
      await request(sys.requisitions.url)
        .post('/v1/requisitions')
        .set(dealerD001)
        .send({ urgent: false, lines: [{ partNo: 'BP-01', quantity: 2, purpose: 'STOCK' }] })
        .expect(201)
    ).body;
    ids.requisitions = requisition.id;
    validBodies.set('requisitions POST /v1/requisitions/{id}/approve', {
      lines: [{ lineId: requisition.lines[0].lineId, quantity: 1, reason: 'one in stock' }],
    });
    validBodies.set('requisitions POST /v1/requisitions/{id}/old-parts', {
      lines: [{ lineId: requisition.lines[0].lineId, quantity: 1 }],
      receivedOn: '2026-02-01',
    });
    validBodies.set('requisitions POST /v1/requisitions', {
      urgent: false,
      note: 'n',
      lines: [{ partNo: 'BP-01', quantity: 1, purpose: 'WARRANTY', repairTickets: ['RT-1'] }],
    });
    ids.returns = (
      await request(sys.returns.url)
        .post('/v1/returns')
        .set(dealerD001)
        .send({
          lines: [
            {
              serial: 'EB100-FZ-000009',
              model: 'EB-100',
              reason: 'dead',
              receiptDate: '2026-01-05',
              saleDate: '2026-01-10',
              repairAttempted: true,
            },
          ],
        })
        .expect(201)
    ).body.id;
    validBodies.set('returns POST /v1/returns/{id}/approve', {
      returnClass: 'IN_WARRANTY',
      lines: [{ lineNo: 1, returnClass: 'IN_WARRANTY' }],
    });
    validBodies.set('returns POST /v1/returns/{id}/receive', { lines: [{ lineNo: 1, countedQuantity: 1 }] });
    validBodies.set('returns POST /v1/returns/{id}/close', {
      carrierBillNo: 'SF1',
      inboundFreight: '60.00',
      outboundFreight: '45.00',
      parts: [{ lineNo: 1, partNo: 'BP-01', quantity: 1 }],
    });
    await request(sys.returns.url)
      .post('/v1/batch-defects')
      .set(afterSales)
      .send({ model: 'EB-100', serialFrom: 'EB100-FZ-000000', serialTo: 'EB100-FZ-000099', reason: 'lot' })
      .expect(201);

    const s = sys.settlement.url;
    await request(s)
      .post('/v1/collections')
      .set(financeA)
      .send({ reference: 'RC-FUZZ-1', dealerCode: 'D001', valueDate: '2026-01-15', amount: '100.00' })
      .expect(201);
    await eventually(async () => {
      const res = await request(s).get('/v1/dealers/D001/balance').query({ quarter: '2026-Q1' }).set(financeA);
      return res.status === 200 && res.body.months[0].cards === 3 ? true : undefined;
    }, 60_000);
    await request(s).post('/v1/tallies/2026-01').set(financeA).expect(201);
    const run = await request(s).post('/v1/settlements/2026-Q1/runs').set(financeA).expect(202);
    ids.runs = run.body.id;
    await eventually(async () => {
      const res = await request(s).get(`/v1/settlements/2026-Q1/runs/${run.body.id}`).set(financeA).expect(200);
      return res.body.status === 'DONE' ? true : undefined;
    }, 60_000);
    const list = await request(s)
      .get('/v1/settlements/2026-Q1/statements')
      .query({ dealer: 'D001' })
      .set(financeA)
      .expect(200);
    ids.statements = list.body.items[0].id;
    await request(s).post(`/v1/statements/${ids.statements}/approve`).set(financeB).expect(200);
    await request(s).post(`/v1/statements/${ids.statements}/post`).set(financeB).expect(200);
    ids.disputes = (
      await request(s)
        .post(`/v1/statements/${ids.statements}/disputes`)
        .set(dealerD001)
        .send({ reason: 'the parts charge is wrong' })
        .expect(201)
    ).body.id;
    validBodies.set('settlement POST /v1/disputes/{id}/resolve', {
      decision: 'ACCEPTED',
      amount: '-10.00',
      note: 'credited',
    });
    validBodies.set('settlement POST /v1/collections', {
      reference: 'RC-FUZZ-2',
      dealerCode: 'D001',
      valueDate: '2026-02-15',
      amount: '10.00',
      note: 'n',
    });
    validBodies.set('settlement POST /v1/simulations', {
      dealerCodes: ['D001'],
      fromQuarter: '2026-Q1',
      toQuarter: '2026-Q1',
      terms: { allowanceBasis: 'PER_CARD', settlementMode: 'FUND_CARRY_OVER', unitRate: '18.00' },
    });
    validBodies.set('settlement POST /v1/purchases', [
      { reference: 'PU-FUZZ-2', dealerCode: 'D001', invoiceDate: '2026-02-15', amount: '10.00' },
    ]);
    validBodies.set('dealers POST /v1/dealers/{code}/reports/{month}/warranty-cards', {
      cards: [
        {
          serial: 'EB100-FZ-000020',
          model: 'EB-100',
          saleDate: '2026-01-11',
          outlet: 'S01',
          consumerName: '李四',
          phone: '13900139000',
          address: '杭州',
        },
      ],
    });
    validBodies.set('dealers PUT /v1/dealers/{code}/reports/{month}', {
      sales: { lines: [{ outlet: 'D001', model: 'EB-100', units: 3, amount: '5997.00' }] },
      repairs: {
        records: [
          {
            ticket: 'T-1',
            serial: 'EB100-FZ-000001',
            model: 'EB-100',
            fault: 'f',
            repairDate: '2026-01-15',
            inWarranty: true,
            parts: [{ partNo: 'BP-01', quantity: 1 }],
            consumerSigned: true,
          },
        ],
      },
      satisfaction: { surveyed: 10, satisfied: 9 },
      opinions: { lines: [{ kind: '服务态度', count: 1 }] },
      qualityFeedback: { lines: [{ model: 'EB-100', batch: 'B1', problem: 'p', unitsAffected: 1 }] },
      callbacks: { callbacksMade: 1 },
    });
    validBodies.set('dealers PUT /v1/warranty-cards/{serial}/audit', {
      result: 'VERIFIED',
      note: 'ok',
      auditId: ids.audits,
    });
    validBodies.set('dealers POST /v1/audits', { dealerCode: 'D002', month: '2026-01', percent: '10', seed: 's' });
  }

  beforeAll(async () => {
    sys = await startSystem();
    await seed();
    targets = [];
    for (const svc of sys.all) {
      const sql = new Client({ connectionString: svc.config.databaseUrl });
      await sql.connect();
      const doc = (await request(svc.url).get('/docs-json').expect(200)).body as OpenApiDocument;
      targets.push({ name: svc.name, svc, doc, sql });
    }
    // The seed's events have travelled and been applied everywhere before anything is measured.
    for (const t of targets) await settledFingerprint(t.sql, { quietMs: 300, timeoutMs: 60_000 });
  });

  afterAll(async () => {
    agent.destroy();
    for (const t of targets ?? []) await t.sql.end().catch(() => undefined);
    await sys?.stop();
  });

  /**
   * Waits until a success has finished its work: a run or simulation accepted with 202 computes in the
   * background, the outbox relay and the consumers follow every write.
   */
  async function quiesce(target: Target): Promise<TableFingerprint> {
    if (target.name === 'settlement') {
      await eventually(async () => {
        const { rows } = await target.sql.query(
          `SELECT (SELECT count(*)::int FROM settlement_runs WHERE status = 'RUNNING')
                + (SELECT count(*)::int FROM simulations WHERE status = 'RUNNING') AS n`,
        );
        return rows[0].n === 0 ? true : undefined;
      }, 60_000);
    }
    return settledFingerprint(target.sql);
  }

  /** The cases of one operation: tokens, path values, query values and bodies. */
  function casesOf(target: Target, path: string, method: string, op: Operation, random: () => number): FuzzCase[] {
    const params = op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === 'path');
    const fill = (overrides: Record<string, string> = {}) =>
      path.replace(
        /\{(\w+)\}/g,
        (_m, name: string) => overrides[name] ?? encodeURIComponent(validPathValue(path, name)),
      );
    const content = op.requestBody?.content ?? {};
    const jsonSchema = content['application/json']?.schema;
    const valid = validBodies.get(`${target.name} ${method.toUpperCase()} ${path}`);
    const baseBody =
      valid !== undefined
        ? JSON.stringify(valid)
        : jsonSchema
          ? JSON.stringify(exampleOf(target.doc, jsonSchema))
          : undefined;
    const base = (label: string, headers: Record<string, string>, more: Partial<FuzzCase> = {}): FuzzCase => ({
      label,
      method: method.toUpperCase(),
      path: fill(),
      body: baseBody,
      headers: { ...(baseBody !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...more,
    });
    const authorization = principalFor(method, op);
    const cases: FuzzCase[] = [];
    for (const t of tokenCases(op))
      cases.push(base(`token: ${t.label}`, t.authorization ? { authorization: t.authorization } : {}));
    for (const p of pathParams) {
      for (const v of pathValues(p.name))
        cases.push(base(`path ${p.name}: ${v.label}`, { authorization }, { path: fill({ [p.name]: v.raw }) }));
    }
    const queryParams = sample(
      params.filter((p) => p.in === 'query'),
      QUERY_PARAMS_PER_OPERATION,
      random,
    );
    for (const p of queryParams) {
      for (const v of queryValues(p))
        cases.push(base(`query ${v.label}`, { authorization }, { path: `${fill()}?${v.query}` }));
    }
    cases.push(base('query: unknown parameter', { authorization }, { path: `${fill()}?unexpected=1` }));
    if (method === 'post') {
      cases.push(base('Idempotency-Key with a space', { authorization, 'idempotency-key': 'has space' }));
      cases.push(base('Idempotency-Key of 300 characters', { authorization, 'idempotency-key': 'k'.repeat(300) }));
    }
    for (const b of bodyCases(target.doc, op, random, FIELDS_PER_BODY, valid)) {
      cases.push(
        base(
          `body: ${b.label}`,
          { authorization, ...(b.contentType ? { 'content-type': b.contentType } : {}) },
          { body: b.body },
        ),
      );
    }
    if (method !== 'get' && !op.requestBody)
      cases.push(
        base(
          'unexpected body',
          { authorization, 'content-type': 'application/json' },
          { body: JSON.stringify({ a: 1 }) },
        ),
      );
    return cases;
  }

  it("a dealer reads its own data as of an instant, and another dealer's as of no instant", async () => {
    const asOf = new Date().toISOString();
    const dealerD002 = bearer('dealer', 'D002', 'dealer-d002');
    const checked: string[] = [];
    for (const target of targets) {
      for (const [path, item] of Object.entries(target.doc.paths)) {
        const op = item.get;
        const params = op?.parameters ?? [];
        if (!op?.['x-roles']?.includes('dealer') || !params.some((p) => p.in === 'path')) continue;
        if (!params.some((p) => p.in === 'query' && p.name === 'asOf')) continue;
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(validPathValue(path, name)));
        await request(target.svc.url).get(url).query({ asOf }).set(dealerD001).expect(200);
        const other = await request(target.svc.url).get(url).query({ asOf }).set(dealerD002);
        expect([other.status, other.headers['content-type']]).toEqual([404, expect.stringContaining('problem+json')]);
        checked.push(`${target.name} ${path}`);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(['settlement /v1/statements/{id}', 'settlement /v1/dealers/{code}/balance']),
    );
  });

  it('answers every case with a 4xx problem or a success, never a 5xx, and a refused request writes nothing', async () => {
    const random = seededRandom(SEED);
    const histogram = new Map<number, number>();
    const failures: string[] = [];
    let operations = 0;
    let sent = 0;
    const started = Date.now();
    for (const target of targets) {
      let before: TableFingerprint = await settledFingerprint(target.sql);
      const entries = Object.entries(target.doc.paths).sort(([a], [b]) => a.localeCompare(b));
      for (const [path, item] of entries) {
        for (const [method, op] of Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) {
          if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
          operations += 1;
          for (const c of casesOf(target, path, method, op, random)) {
            const answer = await send(target.svc.url, c);
            sent += 1;
            histogram.set(answer.status, (histogram.get(answer.status) ?? 0) + 1);
            const where = `${target.name} ${c.method} ${path} [${c.label}]`;
            if (answer.status >= 500) failures.push(`${where}: ${answer.status}`);
            if (answer.status >= 400 && !answer.contentType.startsWith('application/problem+json'))
              failures.push(`${where}: ${answer.status} as ${answer.contentType || 'no content type'}`);
            const after = await tableFingerprint(target.sql);
            const changed = fingerprintChanges(before, after);
            if (answer.status >= 400 && changed.length > 0)
              failures.push(`${where}: refused with ${answer.status} but wrote ${changed.join('; ')}`);
            // A success may write and leave work behind (outbox relay, consumers): wait until it is done.
            before = answer.status < 400 && c.method !== 'GET' ? await quiesce(target) : after;
          }
        }
      }
    }
    const statuses = [...histogram.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    process.stdout.write(
      `fuzz: ${operations} operations × ${Math.round(sent / operations)} cases on average = ${sent} requests in ${((Date.now() - started) / 1000).toFixed(0)} s; statuses ${statuses}; ${failures.length} failure(s)\n`,
    );
    expect(failures).toEqual([]);
  });
});
