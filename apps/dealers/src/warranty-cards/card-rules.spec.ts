import { CardRuleContext, evaluateCard } from './card-rules';

const ctx: CardRuleContext = { dealerCode: 'D001', reportMonth: '2026-01', outlets: new Set(['D001', 'S01']) };
const good = { serial: 'EB100-0001', model: 'EB-100', saleDate: '2026-01-10', outlet: 'D001', consumerName: '张三', phone: '13800138000', address: '上海市' };

describe('warranty card rules (R-CARD-1)', () => {
  it('accepts a complete card and normalises serial and model', () => {
    const v = evaluateCard({ ...good, serial: ' eb100-0001 ', model: 'eb-100' }, ctx);
    expect(v).toEqual({ ok: true, card: expect.objectContaining({ serial: 'EB100-0001', model: 'EB-100' }) });
  });

  it('R-CARD-1 INVALID_FIELD names the field', () => {
    expect(evaluateCard({ ...good, phone: '12345' }, ctx)).toMatchObject({ ok: false, code: 'INVALID_FIELD', field: 'phone' });
    expect(evaluateCard({ ...good, saleDate: '2026-02-30' }, ctx)).toMatchObject({ code: 'INVALID_FIELD', field: 'saleDate' });
    expect(evaluateCard({ ...good, serial: 'x' }, ctx)).toMatchObject({ code: 'INVALID_FIELD', field: 'serial' });
    expect(evaluateCard({ ...good, consumerName: undefined }, ctx)).toMatchObject({ code: 'INVALID_FIELD', field: 'consumerName' });
  });

  it('R-CARD-1 SALE_DATE_OUT_OF_WINDOW: after the month end or before the previous month', () => {
    expect(evaluateCard({ ...good, saleDate: '2025-12-01' }, ctx)).toMatchObject({ ok: true });
    expect(evaluateCard({ ...good, saleDate: '2025-11-30' }, ctx)).toMatchObject({ code: 'SALE_DATE_OUT_OF_WINDOW' });
    expect(evaluateCard({ ...good, saleDate: '2026-01-31' }, ctx)).toMatchObject({ ok: true });
    expect(evaluateCard({ ...good, saleDate: '2026-02-01' }, ctx)).toMatchObject({ code: 'SALE_DATE_OUT_OF_WINDOW' });
  });

  it('R-CARD-1 UNKNOWN_OUTLET: neither the dealer nor a sub-distributor', () => {
    expect(evaluateCard({ ...good, outlet: 'S01' }, ctx)).toMatchObject({ ok: true });
    expect(evaluateCard({ ...good, outlet: 'D002' }, ctx)).toMatchObject({ code: 'UNKNOWN_OUTLET' });
  });

  it('defaults the outlet to the dealer itself', () => {
    const { outlet: _omit, ...withoutOutlet } = good;
    expect(evaluateCard(withoutOutlet, ctx)).toMatchObject({ ok: true, card: { outlet: 'D001' } });
  });

  it('R-CARD-1 UNKNOWN_MODEL when a catalogue is known', () => {
    expect(evaluateCard(good, { ...ctx, models: new Set(['EB-200']) })).toMatchObject({ code: 'UNKNOWN_MODEL' });
  });

  it('R-CARD-1 REPORT_CLOSED once the quarter is approved', () => {
    expect(evaluateCard(good, { ...ctx, reportClosed: true })).toMatchObject({ code: 'REPORT_CLOSED' });
  });
});
