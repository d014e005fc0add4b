import {
  CardBatchContext,
  CardRuleContext,
  evaluateBatch,
  evaluateCard,
  normaliseCard,
  PHONE_REUSE_LIMIT,
  phoneReused,
} from './card-rules';

const ctx: CardRuleContext = {
  dealerCode: 'D001',
  reportMonth: '2026-01',
  outlets: new Set(['D001', 'S01']),
  models: new Set(['EB-100', 'EB-200']),
  shipments: new Map([
    ['EB100-0001', { dealerCode: 'D001', shippedOn: '2026-01-05' }],
    ['EB100-0002', { dealerCode: 'D002', shippedOn: '2025-12-20' }],
  ]),
};
const good = {
  serial: 'EB100-0001',
  model: 'EB-100',
  saleDate: '2026-01-10',
  outlet: 'D001',
  consumerName: '张三',
  phone: '13800138000',
  address: '上海市',
};

function batchCtx(over: Partial<CardBatchContext> = {}): CardBatchContext {
  return { ...ctx, phoneCardsInQuarter: new Map(), takenSerials: new Set(), ...over };
}
function batch(cards: Record<string, unknown>[], over: Partial<CardBatchContext> = {}) {
  const c = batchCtx(over);
  return evaluateBatch(
    cards.map((x) => normaliseCard(x, c.dealerCode)),
    c,
  );
}
/** Cards of a phone with fresh serials, all in the registry-free path. */
function samePhone(n: number, phone = '13700137000') {
  return Array.from({ length: n }, (_, i) => ({ ...good, serial: `PH-${1000 + i}`, phone }));
}

describe('warranty card rules (R-CARD-1)', () => {
  it('accepts a complete card and normalises serial, model and phone', () => {
    const v = evaluateCard({ ...good, serial: ' eb100-0001 ', model: 'eb-100', phone: '138 0013 8000' }, ctx);
    expect(v).toEqual({
      ok: true,
      flags: [],
      card: expect.objectContaining({ serial: 'EB100-0001', model: 'EB-100', phone: '13800138000' }),
    });
  });

  it('R-CARD-1 INVALID_FIELD names the field', () => {
    expect(evaluateCard({ ...good, phone: '12345' }, ctx)).toMatchObject({
      ok: false,
      code: 'INVALID_FIELD',
      field: 'phone',
    });
    expect(evaluateCard({ ...good, saleDate: '2026-02-30' }, ctx)).toMatchObject({
      code: 'INVALID_FIELD',
      field: 'saleDate',
    });
    expect(evaluateCard({ ...good, serial: 'x' }, ctx)).toMatchObject({ code: 'INVALID_FIELD', field: 'serial' });
    expect(evaluateCard({ ...good, model: '' }, ctx)).toMatchObject({ code: 'INVALID_FIELD', field: 'model' });
    expect(evaluateCard({ ...good, consumerName: undefined }, ctx)).toMatchObject({
      code: 'INVALID_FIELD',
      field: 'consumerName',
    });
    expect(evaluateCard({ ...good, address: '' }, ctx)).toMatchObject({ code: 'INVALID_FIELD', field: 'address' });
    expect(evaluateCard({ ...good, phone: '021-12345678' }, ctx)).toMatchObject({ ok: true });
  });

  it('R-CARD-1 SALE_DATE_OUT_OF_WINDOW: after the month end or before the previous month', () => {
    const free = { ...good, serial: 'FREE-0001' };
    expect(evaluateCard({ ...free, saleDate: '2025-12-01' }, ctx)).toMatchObject({ ok: true });
    expect(evaluateCard({ ...free, saleDate: '2025-11-30' }, ctx)).toMatchObject({ code: 'SALE_DATE_OUT_OF_WINDOW' });
    expect(evaluateCard({ ...free, saleDate: '2026-01-31' }, ctx)).toMatchObject({ ok: true });
    expect(evaluateCard({ ...free, saleDate: '2026-02-01' }, ctx)).toMatchObject({ code: 'SALE_DATE_OUT_OF_WINDOW' });
  });

  it('R-CARD-1 UNKNOWN_OUTLET: neither the dealer nor one of its registered sub-distributors', () => {
    expect(evaluateCard({ ...good, outlet: 'S01' }, ctx)).toMatchObject({ ok: true });
    expect(evaluateCard({ ...good, outlet: 's01' }, ctx)).toMatchObject({ ok: true, card: { outlet: 'S01' } });
    expect(evaluateCard({ ...good, outlet: 'D002' }, ctx)).toMatchObject({ code: 'UNKNOWN_OUTLET' });
    expect(evaluateCard({ ...good, outlet: 'S02' }, ctx)).toMatchObject({ code: 'UNKNOWN_OUTLET' });
  });

  it('defaults the outlet to the dealer itself', () => {
    const { outlet: _omit, ...withoutOutlet } = good;
    expect(evaluateCard(withoutOutlet, ctx)).toMatchObject({ ok: true, card: { outlet: 'D001' } });
  });

  it('R-CARD-1 UNKNOWN_MODEL: a model not in the product catalogue (an empty catalogue knows none)', () => {
    expect(evaluateCard({ ...good, model: 'EB-200' }, ctx)).toMatchObject({ ok: true });
    expect(evaluateCard({ ...good, model: 'EB-999' }, ctx)).toMatchObject({ code: 'UNKNOWN_MODEL' });
    expect(evaluateCard(good, { ...ctx, models: new Set() })).toMatchObject({ code: 'UNKNOWN_MODEL' });
  });

  it('R-CARD-1 REPORT_CLOSED once the quarter is approved, before any other check', () => {
    expect(evaluateCard(good, { ...ctx, reportClosed: true })).toMatchObject({ code: 'REPORT_CLOSED' });
    expect(evaluateCard({ ...good, phone: 'bad' }, { ...ctx, reportClosed: true })).toMatchObject({
      code: 'REPORT_CLOSED',
    });
  });

  it('R-CARD-1 NOT_SHIPPED_TO_DEALER: the registry knows the serial and shipped it to another dealer', () => {
    expect(evaluateCard({ ...good, serial: 'EB100-0002' }, ctx)).toMatchObject({
      ok: false,
      code: 'NOT_SHIPPED_TO_DEALER',
    });
    // The same serial reported by the dealer it was shipped to is fine.
    expect(
      evaluateCard(
        { ...good, serial: 'EB100-0002', outlet: 'D002' },
        { ...ctx, dealerCode: 'D002', outlets: new Set(['D002']) },
      ),
    ).toMatchObject({ ok: true, flags: [] });
    // Sold through a sub-distributor: still shipped to the dealer.
    expect(evaluateCard({ ...good, outlet: 'S01' }, ctx)).toMatchObject({ ok: true, flags: [] });
  });

  it('R-CARD-1 SOLD_BEFORE_SHIPPED: the sale date is before the ship date (the ship day itself is fine)', () => {
    expect(evaluateCard({ ...good, saleDate: '2026-01-04' }, ctx)).toMatchObject({
      ok: false,
      code: 'SOLD_BEFORE_SHIPPED',
    });
    expect(evaluateCard({ ...good, saleDate: '2026-01-05' }, ctx)).toMatchObject({ ok: true });
    // Unknown to the registry: no ship date to compare with.
    expect(evaluateCard({ ...good, serial: 'FREE-0001', saleDate: '2025-12-01' }, ctx)).toMatchObject({ ok: true });
  });

  it('R-CARD-1 SERIAL_NOT_IN_REGISTRY: accepted, flagged, when the registry does not know the serial', () => {
    expect(evaluateCard({ ...good, serial: 'FREE-0001' }, ctx)).toEqual(
      expect.objectContaining({ ok: true, flags: ['SERIAL_NOT_IN_REGISTRY'] }),
    );
    expect(evaluateCard(good, ctx)).toEqual(expect.objectContaining({ ok: true, flags: [] }));
  });

  it('R-CARD-1 DUPLICATE_SERIAL: a serial earlier in the same batch (across dealers: the unique index, see the int-specs)', () => {
    const v = batch([good, { ...good, serial: ' eb100-0001' }, { ...good, serial: 'FREE-0002' }]);
    expect(v.map((x) => (x.ok ? 'ACCEPTED' : x.code))).toEqual(['ACCEPTED', 'DUPLICATE_SERIAL', 'ACCEPTED']);
  });

  it('R-CARD-1 DUPLICATE_SERIAL: a serial already accepted at any dealer; a card failing another rule keeps that reason', () => {
    const v = batch([good, { ...good, serial: 'FREE-0003' }, { ...good, model: 'EB-999' }], {
      takenSerials: new Set(['EB100-0001']),
    });
    expect(v.map((x) => (x.ok ? 'ACCEPTED' : x.code))).toEqual(['DUPLICATE_SERIAL', 'ACCEPTED', 'UNKNOWN_MODEL']);
    expect(v[0]).toMatchObject({ reason: 'the serial already has an accepted card' });
  });

  it('R-CARD-1 PHONE_REUSED does not count a card refused as a duplicate', () => {
    const flagged = (vs: ReturnType<typeof batch>) => vs.map((x) => (x.ok ? x.flags.includes('PHONE_REUSED') : x.code));
    const cards = samePhone(4);
    const taken = new Set([normaliseCard(cards[1], 'D001').serial as string]);
    expect(flagged(batch(cards, { takenSerials: taken }))).toEqual([false, 'DUPLICATE_SERIAL', false, false]);
  });

  it('R-CARD-1 PHONE_REUSED recomputed over the accepted cards only: the 4th accepted card of the phone', () => {
    const stored = new Map([['13700137000', 1]]);
    expect(phoneReused(['13700137000', '13700137000', '13700137000', '13900000000'], stored)).toEqual([
      false,
      false,
      true,
      false,
    ]);
    expect(phoneReused(['13700137000', '13700137000'], stored)).toEqual([false, false]);
  });

  it(`R-CARD-1 PHONE_REUSED: the same phone on more than ${PHONE_REUSE_LIMIT} cards in a quarter, counting the batch itself`, () => {
    const flagged = (vs: ReturnType<typeof batch>) =>
      vs.map((x) => (x.ok ? x.flags.includes('PHONE_REUSED') : 'REJECTED'));
    // Within one batch: cards 1-3 are not flagged, the 4th and 5th are.
    expect(flagged(batch(samePhone(5)))).toEqual([false, false, false, true, true]);
    // With 2 accepted cards of the phone already stored in the quarter: the 2nd card of the batch is the 4th.
    expect(flagged(batch(samePhone(2), { phoneCardsInQuarter: new Map([['13700137000', 2]]) }))).toEqual([false, true]);
    // Exactly 3 in the quarter is not reuse.
    expect(flagged(batch(samePhone(1), { phoneCardsInQuarter: new Map([['13700137000', 2]]) }))).toEqual([false]);
    // Rejected cards do not count towards reuse.
    const withBad = [
      ...samePhone(3),
      { ...good, serial: 'PH-9999', phone: '13700137000', model: 'EB-999' },
      { ...good, serial: 'PH-8888', phone: '13700137000' },
    ];
    expect(flagged(batch(withBad))).toEqual([false, false, false, 'REJECTED', true]);
    // The count is per phone: other phones are unaffected; phones with dashes or spaces count as the same number.
    expect(
      flagged(
        batch([
          ...samePhone(3),
          { ...good, serial: 'PH-7777', phone: '137 0013 7000' },
          { ...good, serial: 'PH-6666', phone: '13900139000' },
        ]),
      ),
    ).toEqual([false, false, false, true, false]);
  });

  it('R-CARD-1 PHONE_REUSED and SERIAL_NOT_IN_REGISTRY together on one card', () => {
    const v = batch(samePhone(1), { phoneCardsInQuarter: new Map([['13700137000', 3]]) });
    expect(v[0]).toMatchObject({ ok: true, flags: ['PHONE_REUSED', 'SERIAL_NOT_IN_REGISTRY'] });
  });

  it('R-CARD-1 one reason per card, in a fixed order', () => {
    // Unknown model and unknown outlet and out of window: the model is named.
    expect(evaluateCard({ ...good, model: 'EB-999', outlet: 'X', saleDate: '2027-01-01' }, ctx)).toMatchObject({
      code: 'UNKNOWN_MODEL',
    });
    // Shipped to another dealer and sold before shipping: NOT_SHIPPED_TO_DEALER.
    expect(evaluateCard({ ...good, serial: 'EB100-0002', saleDate: '2025-12-01' }, ctx)).toMatchObject({
      code: 'NOT_SHIPPED_TO_DEALER',
    });
  });
});
