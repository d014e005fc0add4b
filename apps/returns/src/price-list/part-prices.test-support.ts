import request from 'supertest';
import { Topics } from '@app/contracts';
import { bearer, eventually, KafkaProbe, RunningService } from '@app/testing';

/** One price version as the requisitions service publishes it (PartPriceSet v1). */
export interface PublishedPrice {
  partNo: string;
  listPrice: string;
  effectiveFrom: string;
  name?: string;
  costPrice?: string;
}

/** Publishes PartPriceSet events on the requisitions topic, keyed by part number, as the requisitions service does. */
export async function publishPrices(probe: KafkaProbe, prices: readonly PublishedPrice[]): Promise<void> {
  for (const { partNo, listPrice, effectiveFrom, name = partNo, costPrice = '1.00' } of prices) {
    await probe.publishEvent(Topics.requisitions, 'PartPriceSet', partNo, {
      partNo,
      name,
      listPrice,
      costPrice,
      effectiveFrom,
    });
  }
}

/** Waits until the returns service knows each of the versions (GET /v1/part-prices/{partNo}). */
export async function untilPricesKnown(svc: RunningService, prices: readonly PublishedPrice[]): Promise<void> {
  for (const p of prices) {
    await eventually(async () => {
      const res = await request(svc.url).get(`/v1/part-prices/${p.partNo}`).set(bearer('finance'));
      const versions: Array<{ effectiveFrom: string }> = res.status === 200 ? res.body.versions : [];
      return versions.some((v) => v.effectiveFrom === p.effectiveFrom) ? true : undefined;
    }, 60_000);
  }
}

/** The price list published and learned by the returns service under test. */
export async function seedPrices(
  stack: { svc: RunningService; probe: KafkaProbe },
  prices: readonly PublishedPrice[],
): Promise<void> {
  await publishPrices(stack.probe, prices);
  await untilPricesKnown(stack.svc, prices);
}
