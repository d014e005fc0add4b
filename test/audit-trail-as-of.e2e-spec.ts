import request from 'supertest';
import { agreementRequest, bearer, eventually, people } from '@app/testing';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(240_000);

const finance = people.financeAlice;
const approver = people.financeBob;
const auditor = people.auditorCarol;
const dealerD001 = bearer('dealer', 'D001', 'dealer-d001');
const dealerD002 = bearer('dealer', 'D002', 'dealer-d002');

const card = (n: number) => ({
  serial: `EB100-AT-${String(n).padStart(6, '0')}`,
  model: 'EB-100',
  saleDate: '2026-01-10',
  outlet: 'D001',
  consumerName: '张三',
  phone: `1380013800${n}`,
  address: '上海市浦东新区',
});

/** A moment strictly between what happened before and what happens after. */
async function instant(): Promise<string> {
  await new Promise((r) => setTimeout(r, 25));
  const at = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 25));
  return at;
}

/**
 * Through the public APIs only: cards uploaded in the dealers service reach settlement; the
 * dealer's balance, its statement and the ledger read as of an earlier instant show what was known
 * then, and the posted statement is chained and verified.
 */
describe('as-of reads and the chain of posted statements, end to end', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startSystem();
  });

  afterAll(async () => {
    await sys?.stop();
  });

  const balance = (query: Record<string, string> = {}) =>
    request(sys.settlement.url)
      .get('/v1/dealers/D001/balance')
      .query({ quarter: '2026-Q1', ...query })
      .set(dealerD001);
  const balanceShows = (cards: number) =>
    eventually(async () => {
      const res = await balance();
      return res.status === 200 && res.body.months[0].cards === cards ? res.body : undefined;
    }, 60_000);
  const upload = (cards: unknown[]) =>
    request(sys.dealers.url)
      .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
      .set(dealerD001)
      .send({ cards })
      .expect(201);

  it('a balance, a statement and the ledger as they stood at an instant; the posted statement verified in its chain', async () => {
    const d = sys.dealers.url;
    for (const code of ['D001', 'D002']) {
      await request(d)
        .post('/v1/dealers')
        .set(finance)
        .send({ code, name: `Dealer ${code}` })
        .expect(201);
      await request(d).post(`/v1/dealers/${code}/agreements`).set(finance).send(agreementRequest()).expect(201);
    }
    await request(d).put('/v1/product-models/EB-100').set(finance).send({ name: 'EB-100' }).expect(201);
    await request(d)
      .put('/v1/dealers/D001/reports/2026-01')
      .set(dealerD001)
      .send({ sales: { lines: [{ outlet: 'D001', model: 'EB-100', units: 3, amount: '5997.00' }] } })
      .expect(200);
    await upload([card(1), card(2)]);
    await balanceShows(2);
    const t1 = await instant();
    await upload([card(3)]);
    await balanceShows(3);

    const then = (await balance({ asOf: t1 }).expect(200)).body;
    expect(then.months[0].cards).toBe(2);
    await request(sys.settlement.url).get('/v1/dealers/D001/balance').query({ asOf: t1 }).set(dealerD002).expect(404);

    const s = sys.settlement.url;
    const run = await request(s).post('/v1/settlements/2026-Q1/runs').set(finance).expect(202);
    await eventually(async () => {
      const res = await request(s).get(`/v1/settlements/2026-Q1/runs/${run.body.id}`).set(auditor).expect(200);
      return res.body.status === 'DONE' ? true : undefined;
    }, 60_000);
    const listed = await request(s).get('/v1/statements').query({ dealer: 'D001' }).set(auditor).expect(200);
    const id = listed.body.items[0].id as string;
    const draftTime = await instant();
    await request(s).post(`/v1/statements/${id}/approve`).set(approver).expect(200);
    const posted = (await request(s).post(`/v1/statements/${id}/post`).set(finance).expect(200)).body;
    expect(posted.chain).toMatchObject({ sequence: 1, prevHash: '0'.repeat(64) });

    const asDraft = await request(s).get(`/v1/statements/${id}`).query({ asOf: draftTime }).set(dealerD001);
    expect(asDraft.status).toBe(200);
    expect(asDraft.body).toMatchObject({ status: 'DRAFT', approvedAt: null, postedAt: null, chain: null });
    await request(s).get(`/v1/statements/${id}`).query({ asOf: t1 }).set(dealerD001).expect(404);
    await request(s).get(`/v1/statements/${id}`).query({ asOf: draftTime }).set(dealerD002).expect(404);

    const ledger = (query: Record<string, string>) =>
      request(s)
        .get('/v1/ledger')
        .query({ dealer: 'D001', ...query })
        .set(auditor)
        .expect(200);
    expect((await ledger({ asOf: draftTime })).body.items).toEqual([]);
    expect((await ledger({})).body.items.length).toBeGreaterThan(0);

    const verified = await request(s).get('/v1/statements/verification').set(auditor).expect(200);
    expect(verified.body).toMatchObject({
      matches: true,
      checked: 1,
      head: posted.chain.chainHash,
      firstFailure: null,
    });
    await request(s).get('/v1/statements/verification').set(dealerD001).expect(403);
  });
});
