import request from 'supertest';
import { chromium, Browser, Page } from 'playwright-core';
import { agreementRequest, bearer, dealerRegistration, eventually, people, testToken } from '@app/testing';
import { BRAKE_PADS_AND_CONTROLLER, setPartPrices } from './support/prices';
import { settleQuarter } from './support/settlement-run';
import { findChromium, SwaggerUi } from './support/swagger-ui';
import { startSystem, TestSystem } from './support/system';

jest.setTimeout(180_000);

const CHROMIUM = findChromium();
if (!CHROMIUM)
  // Only where no browser can be installed: scripts/prerequisites.sh installs Debian's chromium.
  console.warn(
    'SKIPPED docs-entry browser test: no chromium at /usr/bin/chromium or CHROMIUM_PATH (scripts/prerequisites.sh installs it)',
  );
const describeWithBrowser = CHROMIUM ? describe : describe.skip;

const dealerD001 = bearer('dealer', 'D001');
const { financeAlice, financeBob, afterSalesBob } = people;

/** Real rows for every list the auditor opens: a dealer, its January report and cards, a requisition, a return, a posted Q1 statement. */
async function seed(sys: TestSystem): Promise<void> {
  await request(sys.dealers.url).post('/v1/dealers').set(financeAlice).send(dealerRegistration()).expect(201);
  await request(sys.dealers.url).put('/v1/product-models/EB-100').set(financeAlice).send({ name: '电动自行车 EB-100' });
  await request(sys.dealers.url)
    .post('/v1/dealers/D001/agreements')
    .set(financeAlice)
    .send(agreementRequest())
    .expect(201);
  for (const svc of [sys.requisitions, sys.returns, sys.settlement])
    await eventually(async () => {
      const res = await request(svc.url).get('/v1/dealer-directory/D001').set(financeAlice);
      return res.status === 200 && res.body.agreements.length === 1 ? true : undefined;
    }, 60_000);
  await request(sys.dealers.url)
    .put('/v1/dealers/D001/reports/2026-01/sales')
    .set(dealerD001)
    .send({ lines: [{ outlet: 'D001', model: 'EB-100', units: 3, amount: '5997.00' }] })
    .expect(200);
  const cards = [1, 2, 3].map((i) => ({
    serial: `EB100-DOC-00000${i}`,
    model: 'EB-100',
    saleDate: '2026-01-10',
    consumerName: '张三',
    phone: `1380013800${i}`,
    address: '上海市浦东新区',
  }));
  const batch = await request(sys.dealers.url)
    .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
    .set(dealerD001)
    .send({ cards })
    .expect(201);
  expect(batch.body.accepted).toBe(3);
  await setPartPrices(sys.requisitions.url, afterSalesBob, BRAKE_PADS_AND_CONTROLLER);
  await request(sys.requisitions.url)
    .post('/v1/requisitions')
    .set(dealerD001)
    .send({ urgent: false, lines: [{ partNo: 'BP-01', quantity: 4, purpose: 'STOCK' }] })
    .expect(201);
  const applied = await request(sys.returns.url)
    .post('/v1/returns')
    .set(dealerD001)
    .send({
      lines: [
        {
          serial: 'EB100-DOC-000001',
          model: 'EB-100',
          reason: 'controller fault',
          receiptDate: '2026-01-05',
          saleDate: '2026-01-10',
          repairAttempted: false,
        },
      ],
    });
  expect([applied.status, applied.body]).toEqual([201, expect.objectContaining({ dealerCode: 'D001' })]);
  // The run sees the report and the cards once settlement has consumed them.
  await eventually(async () => {
    const res = await request(sys.settlement.url).get('/v1/dealers/D001/balance?quarter=2026-Q1').set(financeAlice);
    return res.status === 200 && res.body.months[0].cards === 3 && res.body.months[0].reportSubmitted
      ? true
      : undefined;
  }, 60_000);
  const draft = await settleQuarter(sys, '2026-Q1', { runBy: financeAlice, readBy: financeAlice, dealer: 'D001' });
  await request(sys.settlement.url).post(`/v1/statements/${draft.id}/approve`).set(financeBob).expect(200);
  await request(sys.settlement.url).post(`/v1/statements/${draft.id}/post`).set(financeBob).expect(200);
}

describeWithBrowser("an auditor in settlement's /docs: authorizes once, then Try it out on all four APIs", () => {
  let sys: TestSystem;
  let browser: Browser;
  let page: Page;
  let ui: SwaggerUi;

  beforeAll(async () => {
    sys = await startSystem();
    [browser] = await Promise.all([chromium.launch({ executablePath: CHROMIUM, headless: true }), seed(sys)]);
    page = await browser.newPage();
    ui = new SwaggerUi(page);
  });

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('the Authorize dialog says which claims a token needs; the auditor authorizes once', async () => {
    await ui.open(`${sys.settlement.url}/docs`);
    const description = await ui.authorize(testToken('auditor', undefined, 'auditor-carol'));
    for (const text of ['sub', 'role', 'dealer', 'auditor', 'finance', 'after-sales', 'admin', 'iss', 'aud'])
      expect(description).toContain(text);
  });

  it('settlement: the statements, the ledger and the consumed events come back with the seeded rows, newest first', async () => {
    const statements = await ui.tryGet('/v1/statements');
    expect(statements).toMatchObject({ status: 200 });
    expect(statements.body.items).toEqual([
      expect.objectContaining({ dealerCode: 'D001', quarter: '2026-Q1', status: 'POSTED' }),
    ]);

    const ledger = await ui.tryGet('/v1/ledger', { dealer: 'D001' });
    expect(ledger.url).toMatch(/\/v1\/ledger\?dealer=D001$/);
    expect(ledger.status).toBe(200);
    expect(ledger.body.items.length).toBeGreaterThan(1);
    expect(ledger.body.items).toContainEqual(
      expect.objectContaining({ account: 'dealer-fund:D001', quarter: '2026-Q1' }),
    );
    const ids = ledger.body.items.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => y - x));

    const events = await ui.tryGet('/v1/events', { dealer: 'D001' });
    expect(events.status).toBe(200);
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['DealerRegistered', 'WarrantyCardsAccepted']));
    const times = events.body.items.map((e: { occurredAt: string }) => e.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('dealers, requisitions and returns: one list each through the definition selector, with the same token', async () => {
    await ui.selectDefinition('dealers', /dealers/i);
    const cards = await ui.tryGet('/v1/warranty-cards');
    expect(cards.url.startsWith(sys.dealers.url)).toBe(true);
    expect(cards.status).toBe(200);
    expect(cards.body.items.map((c: { serial: string }) => c.serial).sort()).toEqual([
      'EB100-DOC-000001',
      'EB100-DOC-000002',
      'EB100-DOC-000003',
    ]);

    await ui.selectDefinition('requisitions', /requisitions/i);
    const requisitions = await ui.tryGet('/v1/requisitions');
    expect(requisitions.url.startsWith(sys.requisitions.url)).toBe(true);
    expect(requisitions.status).toBe(200);
    expect(requisitions.body.items).toEqual([expect.objectContaining({ dealerCode: 'D001' })]);

    await ui.selectDefinition('returns', /returns/i);
    const returns = await ui.tryGet('/v1/returns');
    expect(returns.url.startsWith(sys.returns.url)).toBe(true);
    expect(returns.status).toBe(200);
    expect(returns.body.items).toEqual([expect.objectContaining({ dealerCode: 'D001' })]);
  });
});
