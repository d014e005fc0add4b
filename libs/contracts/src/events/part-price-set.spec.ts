import 'reflect-metadata';
import { validatePayload } from '../event-definition';
import { PartPriceSet } from './requisitions.events';

const price = {
  partNo: 'CTRL-48V',
  name: '控制器 controller',
  listPrice: '180.00',
  costPrice: '120.00',
  effectiveFrom: '2026-01-01',
};

describe('PartPriceSet v1 (R-PRT-1, read by returns for R-RET-4 §9)', () => {
  it('R-RET-4 §9 carries one price version: part, name, list and cost price, effective date', () => {
    expect(validatePayload(PartPriceSet, price).ok).toBe(true);
    expect(
      validatePayload(PartPriceSet, { ...price, listPrice: '9999999999.99', effectiveFrom: '2099-12-31' }).ok,
    ).toBe(true);
  });

  it('R-RET-4 §9 refuses a version without its part, prices or date, or with prices not in two places', () => {
    const refused = (payload: object, field: string) => {
      const result = validatePayload(PartPriceSet, payload);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(`payload.${field}:`);
    };
    refused({ ...price, partNo: 'A/B' }, 'partNo');
    refused({ ...price, name: '' }, 'name');
    refused({ ...price, listPrice: '180' }, 'listPrice');
    refused({ ...price, listPrice: '-1.00' }, 'listPrice');
    refused({ ...price, costPrice: undefined }, 'costPrice');
    refused({ ...price, effectiveFrom: '2026-02-30' }, 'effectiveFrom');
    refused({ ...price, extra: 1 }, 'extra');
  });
});
