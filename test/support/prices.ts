import request from 'supertest';

/** The two parts the flows requisition, priced from 2026-01-01: brake pads and a controller. */
export const BRAKE_PADS_AND_CONTROLLER = [
  { partNo: 'BP-01', name: '刹车片', listPrice: '12.50', costPrice: '8.00', effectiveFrom: '2026-01-01' },
  { partNo: 'CT-09', name: '控制器', listPrice: '180.00', costPrice: '120.00', effectiveFrom: '2026-01-01' },
];

/** Sets each part's prices through PUT /v1/parts/{partNo} as `auth` (after-sales); each must be stored (201). */
export async function setPartPrices(
  requisitionsUrl: string,
  auth: Record<string, string>,
  prices: ReadonlyArray<{ partNo: string; name: string; listPrice: string; costPrice: string; effectiveFrom: string }>,
): Promise<void> {
  for (const { partNo, ...price } of prices) {
    await request(requisitionsUrl).put(`/v1/parts/${partNo}`).set(auth).send(price).expect(201);
  }
}
