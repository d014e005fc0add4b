import { priceInForce } from './price-list-rules';

describe('the price in force (R-PRT-1) as returns reads it', () => {
  const versions = [
    { effectiveFrom: '2026-04-01', listPrice: '195.50' },
    { effectiveFrom: '2026-01-01', listPrice: '180.00' },
  ];

  it('R-PRT-1 the version with the latest effectiveFrom not after the date, in whatever order the versions come', () => {
    expect(priceInForce(versions, '2026-01-01')?.listPrice).toBe('180.00');
    expect(priceInForce(versions, '2026-03-31')?.listPrice).toBe('180.00');
    expect(priceInForce(versions, '2026-04-01')?.listPrice).toBe('195.50');
    expect(priceInForce(versions, '2099-12-31')?.listPrice).toBe('195.50');
  });

  it('R-PRT-1 no price before the first version', () => {
    expect(priceInForce(versions, '2025-12-31')).toBeUndefined();
    expect(priceInForce([], '2026-01-01')).toBeUndefined();
  });
});
