import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { agreementTerms, eventually, people, seedDealers, useServiceUnderTest, workedExample } from '@app/testing';
import type { KafkaProbe, RunningService } from '@app/testing';
import { Clock } from '@app/platform';
import { OldPartsSweep } from './old-parts/old-parts.service';
import { RequisitionsAppModule } from './requisitions-app.module';

jest.setTimeout(90_000);

const { afterSalesBob: afterSales, finance, admin, d001, d002 } = people;

const terms = (over: Record<string, unknown> = {}) =>
  agreementTerms({ partsCharging: { warranty: 'FREE', stock: 'ALLOWANCE' }, ...over });

describe('requisitions service on PostgreSQL and the broker', () => {
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;
  let clock: Clock;
  const setNow = (iso: string) => jest.spyOn(clock, 'now').mockReturnValue(new Date(iso));
  const count = async (table: string) =>
    (await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  let requisitionId: string;
  let warrantyLineId: string;
  let stockLineId: string;

  useServiceUnderTest('requisitions', RequisitionsAppModule, 'int_requisitions', async (stack) => {
    ({ svc, sql, probe } = stack);
    clock = svc.app.get(Clock);
    await seedDealers(stack, [
      { code: 'D001', terms: terms() },
      { code: 'D002', terms: terms({ partsCharging: { warranty: 'ALLOWANCE', stock: 'INVOICE' } }) },
    ]);
  });

  describe('price list (R-PRT-1)', () => {
    const controllerPrice = {
      partNo: 'CT-09',
      name: 'controller',
      listPrice: '180.00',
      costPrice: '120.00',
      effectiveFrom: '2026-01-01',
    };
    it('R-PRT-1 stores effective-dated versions; the same version again is a replay, other values for a stored date a 409', async () => {
      const put = (partNo: string, body: Record<string, unknown>) =>
        request(svc.url).put(`/v1/parts/${partNo}`).set(afterSales).send(body);
      expect(
        (await put('BP-01', { name: 'brake pad', listPrice: '12.50', costPrice: '8.00', effectiveFrom: '2026-01-01' }))
          .status,
      ).toBe(201);
      expect(
        (await put('BP-01', { name: 'brake pad', listPrice: '12.5', costPrice: '8', effectiveFrom: '2026-01-01' }))
          .status,
      ).toBe(200);
      const clash = await put('BP-01', {
        name: 'brake pad',
        listPrice: '99.00',
        costPrice: '8.00',
        effectiveFrom: '2026-01-01',
      });
      expect(clash.status).toBe(409);
      expect(clash.body.code).toBe('PRICE_VERSION_EXISTS');
      expect(
        (await put('BP-01', { name: 'brake pad', listPrice: '13.00', costPrice: '8.40', effectiveFrom: '2026-02-01' }))
          .status,
      ).toBe(201);
      const jan = await request(svc.url).get('/v1/parts/BP-01?on=2026-01-31').set(d001).expect(200);
      expect(jan.body.priceInForce).toMatchObject({
        listPrice: '12.50',
        costPrice: '8.00',
        effectiveFrom: '2026-01-01',
      });
      expect(jan.body.history.map((h: { listPrice: string }) => h.listPrice)).toEqual(['12.50', '13.00']);
      const feb = await request(svc.url).get('/v1/parts/BP-01?on=2026-02-01').set(d001).expect(200);
      expect(feb.body.priceInForce.listPrice).toBe('13.00');
      await request(svc.url).get('/v1/parts/BP-01?on=2026-02-30').set(d001).expect(400);
      await request(svc.url).get('/v1/parts/NOPE').set(d001).expect(404);
      await request(svc.url)
        .put('/v1/parts/BP-01')
        .set(d001)
        .send({ name: 'x', listPrice: '1.00', costPrice: '1.00', effectiveFrom: '2026-05-01' })
        .expect(403);
    });

    it('refuses bad amounts and dates with a problem naming the field, and writes nothing', async () => {
      const before = await count('part_prices');
      const res = await request(svc.url)
        .put('/v1/parts/BP-02')
        .set(afterSales)
        .send({ name: 'x', listPrice: '1.234', costPrice: '-1.00', effectiveFrom: '2026-02-30' });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'costPrice',
        'effectiveFrom',
        'listPrice',
      ]);
      expect(await count('part_prices')).toBe(before);
    });

    it('R-PRT-1 an import with bad rows is refused whole, listing every bad row; nothing is written', async () => {
      const before = await count('part_prices');
      const res = await request(svc.url)
        .post('/v1/parts/import')
        .set(afterSales)
        .send([
          controllerPrice,
          { partNo: 'SP-1', name: 'spoke', listPrice: '1,00', costPrice: '0.50', effectiveFrom: '2026-01-01' },
          { partNo: 'SP-2', name: 'spoke', listPrice: '1.00', costPrice: '0.50', effectiveFrom: '2026-13-01' },
        ]);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'rows[2].listPrice',
        'rows[3].effectiveFrom',
      ]);
      expect(await count('part_prices')).toBe(before);
    });

    it('imports JSON and CSV (text/csv body and multipart file); lists parts with cursor pagination', async () => {
      const json = await request(svc.url).post('/v1/parts/import').set(afterSales).send([controllerPrice]);
      expect(json.status).toBe(200);
      expect(json.body).toEqual({ received: 1, created: 1, unchanged: 0 });
      const csv =
        'partNo,name,listPrice,costPrice,effectiveFrom\r\nLT-1,"lamp, front",25.00,15.00,2026-01-01\r\nBP-01,brake pad,12.50,8.00,2026-01-01\r\n';
      const text = await request(svc.url)
        .post('/v1/parts/import')
        .set(afterSales)
        .set('content-type', 'text/csv')
        .send(csv);
      expect(text.status).toBe(200);
      expect(text.body).toEqual({ received: 2, created: 1, unchanged: 1 });
      const badCsv = await request(svc.url)
        .post('/v1/parts/import')
        .set(afterSales)
        .set('content-type', 'text/csv')
        .send('partNo,name,listPrice,costPrice,effectiveFrom\r\nX-1,x,abc,1.00,2026-01-01\r\n');
      expect(badCsv.status).toBe(400);
      expect(badCsv.body.errors[0].field).toBe('rows[1].listPrice');
      const file = await request(svc.url)
        .post('/v1/parts/import')
        .set(afterSales)
        .attach(
          'file',
          Buffer.from('partNo,name,listPrice,costPrice,effectiveFrom\nSD-1,saddle,40.00,22.00,2026-01-01\n'),
          { filename: 'prices.csv', contentType: 'text/csv' },
        );
      expect(file.status).toBe(200);
      expect(file.body.created).toBe(1);
      const page1 = await request(svc.url).get('/v1/parts?limit=2&on=2026-01-15').set(finance).expect(200);
      expect(page1.body.items.map((p: { partNo: string }) => p.partNo)).toEqual(['BP-01', 'CT-09']);
      const page2 = await request(svc.url)
        .get(`/v1/parts?limit=2&cursor=${page1.body.nextCursor}`)
        .set(finance)
        .expect(200);
      expect(page2.body.items.map((p: { partNo: string }) => p.partNo)).toEqual(['LT-1', 'SD-1']);
    });
  });

  describe('requisitions (R-PRT-1..3, R-SET-4)', () => {
    it('refuses bad quantities and lines with a problem naming the field, and writes nothing', async () => {
      setNow('2026-01-20T04:00:00Z');
      const file = (lines: unknown[]) =>
        request(svc.url).post('/v1/requisitions').set(d001).send({ urgent: false, lines });
      const zero = await file([{ partNo: 'BP-01', quantity: 0, purpose: 'STOCK' }]);
      expect(zero.status).toBe(400);
      expect(zero.body.errors[0].field).toBe('lines[0].quantity');
      expect((await file([{ partNo: 'BP-01', quantity: 1.5, purpose: 'STOCK' }])).body.errors[0].field).toBe(
        'lines[0].quantity',
      );
      expect((await file([{ partNo: 'BP-01', quantity: '2', purpose: 'STOCK' }])).status).toBe(400);
      const noTicket = await file([{ partNo: 'BP-01', quantity: 1, purpose: 'WARRANTY' }]);
      expect(noTicket.status).toBe(400);
      expect(noTicket.body.errors[0].field).toBe('lines[0].repairTickets');
      const unknown = await file([{ partNo: 'ZZ-9', quantity: 1, purpose: 'STOCK' }]);
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0].field).toBe('lines[0].partNo');
      await request(svc.url)
        .post('/v1/requisitions')
        .set(afterSales)
        .send({ urgent: false, lines: [{ partNo: 'BP-01', quantity: 1, purpose: 'STOCK' }] })
        .expect(403);
      expect(await count('requisitions')).toBe(0);
      expect(await count('requisition_lines')).toBe(0);
    });

    it("R-PRT-2 / R-SET-4 before approval the dealer sees the value at today's prices, each line's charge target, and its fund balance once known", async () => {
      setNow('2026-01-20T04:00:00Z');
      const res = await request(svc.url)
        .post('/v1/requisitions')
        .set(d001)
        .send({
          urgent: true,
          note: 'customer waiting',
          lines: [
            { partNo: 'CT-09', quantity: 2, purpose: 'WARRANTY', repairTickets: ['RT-2026-0001'] },
            { partNo: 'BP-01', quantity: 10, purpose: 'STOCK' },
          ],
        });
      expect(res.status).toBe(201);
      requisitionId = res.body.id;
      [warrantyLineId, stockLineId] = res.body.lines.map((l: { lineId: string }) => l.lineId);
      expect(res.body).toMatchObject({ dealerCode: 'D001', status: 'SUBMITTED', urgent: true, fundBalance: null });
      expect(res.body.preview).toMatchObject({
        valuedOn: '2026-01-20',
        termsVersion: 1,
        missingPrices: [],
        lines: [
          { listPrice: '180.00', amount: '360.00', chargeTo: 'FREE' },
          { listPrice: '12.50', amount: '125.00', chargeTo: 'ALLOWANCE' },
        ],
        charges: { total: '485.00', toAllowance: '125.00', free: '360.00' },
      });

      await probe.publishEvent(Topics.settlement, 'DealerBalanceTallied', 'D001', {
        dealerCode: 'D001',
        quarter: '2026-Q1',
        balance: '-50.00',
        asOf: '2026-01-31T16:00:00.000Z',
      });
      const seen = await eventually(async () => {
        const r = await request(svc.url).get(`/v1/requisitions/${requisitionId}`).set(d001);
        return r.body.fundBalance ? r.body : undefined;
      }, 60_000);
      expect(seen.fundBalance).toEqual({ quarter: '2026-Q1', balance: '-50.00', asOf: '2026-01-31T16:00:00.000Z' });
    });

    it("a dealer reaches only its own requisitions: D002 gets 404 on D001's and an empty list", async () => {
      await request(svc.url).get(`/v1/requisitions/${requisitionId}`).set(d002).expect(404);
      await request(svc.url).get(`/v1/requisitions/${randomUUID()}`).set(d001).expect(404);
      await request(svc.url).get('/v1/requisitions/not-a-uuid').set(d001).expect(404);
      const list = await request(svc.url).get('/v1/requisitions?dealer=D001').set(d002).expect(200);
      expect(list.body.items).toEqual([]);
      const all = await request(svc.url)
        .get('/v1/requisitions?dealer=D001&status=SUBMITTED&month=2026-01')
        .set(afterSales)
        .expect(200);
      expect(all.body.items.map((r: { id: string }) => r.id)).toEqual([requisitionId]);
      await request(svc.url).get('/v1/requisitions?month=2026-13').set(afterSales).expect(400);
    });

    it('R-PRT-3 refuses an urgent approval without freight and a cut without reason, changing nothing', async () => {
      setNow('2026-02-03T02:00:00Z');
      const noFreight = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/approve`)
        .set(afterSales)
        .send({});
      expect(noFreight.status).toBe(400);
      expect(noFreight.body.errors[0]).toMatchObject({ field: 'urgentFreightDifference', rule: 'R-PRT-3' });
      const noReason = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/approve`)
        .set(afterSales)
        .send({ urgentFreightDifference: '35.00', lines: [{ lineId: stockLineId, quantity: 8 }] });
      expect(noReason.body.errors[0].field).toBe('lines[0].reason');
      const badAmount = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/approve`)
        .set(afterSales)
        .send({ urgentFreightDifference: '35.001' });
      expect(badAmount.body.errors[0].field).toBe('urgentFreightDifference');
      const tooMany = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/approve`)
        .set(afterSales)
        .send({ urgentFreightDifference: '35.00', lines: [{ lineId: stockLineId, quantity: 11 }] });
      expect(tooMany.body.errors[0].field).toBe('lines[0].quantity');
      const { rows } = await sql.query(`SELECT status FROM requisitions WHERE id = $1`, [requisitionId]);
      expect(rows[0].status).toBe('SUBMITTED');
      expect(await count(`outbox_messages WHERE type = 'RequisitionApproved'`)).toBe(0);
    });

    it('R-PRT-1 / R-PRT-2 / R-PRT-3 approval values the lines at the prices of the approval date, charges per purpose, invoices urgent freight, and publishes RequisitionApproved', async () => {
      const topic = await probe.collect(Topics.requisitions);
      setNow('2026-02-03T02:00:00Z');
      const res = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/approve`)
        .set(afterSales)
        .send({
          urgentFreightDifference: '35.00',
          lines: [{ lineId: stockLineId, quantity: 8, reason: 'stock limit per month' }],
        });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'APPROVED',
        approvedOn: '2026-02-03',
        approvedBy: 'as-bob',
        urgentFreightDifference: '35.00',
        termsVersion: 1,
      });
      expect(res.body.lines).toMatchObject([
        {
          lineId: warrantyLineId,
          approvedQuantity: 2,
          listPrice: '180.00',
          costPrice: '120.00',
          amount: '360.00',
          chargeTo: 'FREE',
        },
        {
          lineId: stockLineId,
          approvedQuantity: 8,
          cutReason: 'stock limit per month',
          listPrice: '13.00',
          amount: '104.00',
          chargeTo: 'ALLOWANCE',
        },
      ]);
      expect(res.body.charges).toEqual({
        total: '464.00',
        toAllowance: '104.00',
        free: '360.00',
        invoicedParts: '0.00',
        urgentFreightDifference: '35.00',
        invoicedToDealer: '35.00',
      });
      const message = await eventually(
        async () => topic.find((m) => m.value?.includes('"RequisitionApproved"')),
        30_000,
      );
      const event = JSON.parse(message.value!);
      expect(message.key).toBe('D001');
      expect(event.payload).toMatchObject({
        dealerCode: 'D001',
        requisitionId,
        approvedOn: '2026-02-03',
        urgent: true,
        urgentFreightDifference: '35.00',
        lines: [
          {
            lineId: warrantyLineId,
            ...workedExample.warrantyControllerLine,
          },
          {
            lineId: stockLineId,
            partNo: 'BP-01',
            quantity: 8,
            purpose: 'STOCK',
            listPrice: '13.00',
            costPrice: '8.40',
            amount: '104.00',
            chargeTo: 'ALLOWANCE',
          },
        ],
      });
      const again = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/approve`)
        .set(afterSales)
        .send({ urgentFreightDifference: '35.00' });
      expect(again.status).toBe(409);
    });

    it('R-PRT-4 shipping sets the old parts due date oldPartReturnDays later and publishes RequisitionShipped', async () => {
      setNow('2026-02-05T02:00:00Z');
      await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/old-parts`)
        .set(afterSales)
        .send({ lines: [{ lineId: warrantyLineId, quantity: 1 }] })
        .expect(409);
      const res = await request(svc.url).post(`/v1/requisitions/${requisitionId}/ship`).set(afterSales).send();
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'SHIPPED', shippedOn: '2026-02-05', oldPartsDueOn: '2026-03-07' });
      expect(res.body.lines[0].oldParts).toEqual({
        owed: 2,
        received: 0,
        outstanding: 2,
        invoicedQuantity: 0,
        invoicedAmount: null,
        invoicedOn: null,
      });
      expect(res.body.lines[1].oldParts).toBeNull();
      const { rows } = await sql.query(
        `SELECT message_key, envelope->'payload' AS payload FROM outbox_messages WHERE type = 'RequisitionShipped'`,
      );
      expect(rows).toEqual([
        {
          message_key: 'D001',
          payload: { dealerCode: 'D001', requisitionId, shippedOn: '2026-02-05', oldPartsDueOn: '2026-03-07' },
        },
      ]);
      await request(svc.url).post(`/v1/requisitions/${requisitionId}/ship`).set(afterSales).send().expect(409);
    });
  });

  describe('old-for-new (R-PRT-4)', () => {
    it('R-PRT-4 records partial receipts, never more than owed, only on WARRANTY lines', async () => {
      setNow('2026-02-20T02:00:00Z');
      const one = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/old-parts`)
        .set(afterSales)
        .send({ lines: [{ lineId: warrantyLineId, quantity: 1 }] });
      expect(one.status).toBe(200);
      expect(one.body.lines[0].oldParts).toMatchObject({ owed: 2, received: 1, outstanding: 1 });
      const tooMany = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/old-parts`)
        .set(afterSales)
        .send({ lines: [{ lineId: warrantyLineId, quantity: 2 }] });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors[0]).toMatchObject({ field: 'lines[0].quantity', rule: 'R-PRT-4' });
      const stock = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/old-parts`)
        .set(afterSales)
        .send({ lines: [{ lineId: stockLineId, quantity: 1 }] });
      expect(stock.status).toBe(400);
      const future = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/old-parts`)
        .set(afterSales)
        .send({ receivedOn: '2026-02-21', lines: [{ lineId: warrantyLineId, quantity: 1 }] });
      expect(future.body.errors[0].field).toBe('receivedOn');
      const { rows } = await sql.query(`SELECT old_parts_received FROM requisition_lines WHERE id = $1`, [
        warrantyLineId,
      ]);
      expect(rows[0].old_parts_received).toBe(1);
    });

    it('R-PRT-4 the sweep invoices what is still owed after the due date at cost, exactly once however often it runs', async () => {
      const sweep = svc.app.get(OldPartsSweep);
      // Due on 2026-03-07 (Asia/Shanghai): still in time all that day.
      expect((await sweep.run(new Date('2026-03-07T15:59:59Z'))).invoiced).toEqual([]);
      setNow('2026-03-08T01:00:00Z');
      const [http1, http2, direct] = await Promise.all([
        request(svc.url).post('/v1/old-parts/sweep').set(afterSales).send(),
        request(svc.url).post('/v1/old-parts/sweep').set(admin).send(),
        sweep.run(new Date('2026-03-08T01:00:00Z')),
      ]);
      expect([http1.status, http2.status]).toEqual([200, 200]);
      const all = [...http1.body.invoiced, ...http2.body.invoiced, ...direct.invoiced];
      expect(all).toEqual([{ requisitionId, lineId: warrantyLineId, partNo: 'CT-09', quantity: 1, amount: '120.00' }]);
      expect((await sweep.run(new Date('2026-04-01T00:00:00Z'))).invoiced).toEqual([]);
      const { rows } = await sql.query(`SELECT quantity, cost_price, amount, invoiced_on::text FROM old_part_invoices`);
      expect(rows).toEqual([{ quantity: 1, cost_price: '120.00', amount: '120.00', invoiced_on: '2026-03-08' }]);
      expect(await count(`outbox_messages WHERE type = 'OldPartsInvoiced'`)).toBe(1);
      const late = await request(svc.url)
        .post(`/v1/requisitions/${requisitionId}/old-parts`)
        .set(afterSales)
        .send({ lines: [{ lineId: warrantyLineId, quantity: 1 }] });
      expect(late.status).toBe(400);
      const view = await request(svc.url).get(`/v1/requisitions/${requisitionId}`).set(d001).expect(200);
      expect(view.body.lines[0].oldParts).toEqual({
        owed: 2,
        received: 1,
        outstanding: 0,
        invoicedQuantity: 1,
        invoicedAmount: '120.00',
        invoicedOn: '2026-03-08',
      });
    });
  });

  describe('monthly parts statement (R-PRT-5)', () => {
    it("R-PRT-5 lists the month's approved requisitions with charges and old parts, as JSON and CSV", async () => {
      const json = await request(svc.url).get('/v1/dealers/D001/parts-statements/2026-02').set(d001).expect(200);
      expect(json.body.totals).toEqual({
        requisitions: 1,
        lines: 2,
        total: '464.00',
        toAllowance: '104.00',
        free: '360.00',
        invoicedParts: '0.00',
        urgentFreight: '35.00',
        oldPartsOwed: 2,
        oldPartsReceived: 1,
        oldPartsInvoicedQuantity: 1,
        oldPartsInvoicedAmount: '120.00',
        invoicedToDealer: '155.00',
      });
      const empty = await request(svc.url).get('/v1/dealers/D001/parts-statements/2026-01').set(finance).expect(200);
      expect(empty.body.totals.requisitions).toBe(0);
      const csv = await request(svc.url)
        .get('/v1/dealers/D001/parts-statements/2026-02')
        .set(afterSales)
        .set('Accept', 'text/csv')
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.text.split('\r\n')[0]).toMatch(/^kind,requisitionId,approvedOn/);
      const csv2 = await request(svc.url)
        .get('/v1/dealers/D001/parts-statements/2026-02?format=csv')
        .set(people.auditor)
        .expect(200);
      expect(csv2.text).toBe(csv.text);
      await request(svc.url).get('/v1/dealers/D001/parts-statements/2026-02').set(d002).expect(404);
      await request(svc.url).get('/v1/dealers/D001/parts-statements/2026-2').set(finance).expect(400);
    });
  });
});
