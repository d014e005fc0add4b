import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { DealerDirectoryService } from '@app/dealer-directory';
import { EventHandlerRegistry, MESSAGING_OPTIONS, MessagingMetrics } from '@app/messaging';
import type { MessagingOptions } from '@app/messaging';
import {
  agreementTerms,
  dealerRegisteredPayload,
  eventually,
  KafkaProbe,
  people,
  RunningService,
  seedDealers,
  ServiceUnderTest,
  testEnvelope,
  useServiceUnderTest,
} from '@app/testing';
import { RequisitionsAppModule } from './requisitions-app.module';

jest.setTimeout(90_000);

/** A card batch of the kind a consumer of the registry has no use for. */
const cardBatch = (dealerCode: string) => ({
  dealerCode,
  reportMonth: '2026-01',
  batchId: randomUUID(),
  cards: Array.from({ length: 50 }, (_, i) => ({
    serial: `REG-${String(i).padStart(4, '0')}`,
    model: 'EB-100',
    saleDate: '2026-01-10',
    outlet: dealerCode,
    flags: [],
  })),
});

describe('requisitions keeps its dealer directory from dealers.registry.v1 alone', () => {
  let stack: ServiceUnderTest;
  let svc: RunningService;
  let sql: Client;
  let probe: KafkaProbe;

  useServiceUnderTest('requisitions', RequisitionsAppModule, 'int_requisitions_registry', (s) => {
    stack = s;
    ({ svc, sql, probe } = s);
  });

  /** Waits until the consumer applied each event id (one transaction per event: its effect is then visible). */
  const untilApplied = (ids: string[]) =>
    eventually(async () => {
      const { rows } = await sql.query(
        `SELECT count(*)::int AS n FROM inbox_processed_events WHERE event_id = ANY($1) AND outcome = 'applied'`,
        [ids],
      );
      return rows[0].n === ids.length ? true : undefined;
    }, 60_000);

  it('subscribes to the registry topic and the settlement topic, not to the dealers topic', () => {
    expect(svc.app.get(EventHandlerRegistry).topics()).toEqual([Topics.dealerRegistry, Topics.settlement]);
  });

  it('a registration on the registry topic reaches its directory; card batches on the dealers topic are never fetched', async () => {
    await probe.publishEvent(Topics.dealers, 'WarrantyCardsAccepted', 'D001', cardBatch('D001'));
    await seedDealers(stack, [{ code: 'D001' }]);
    const known = await request(svc.url).get('/v1/dealer-directory/D001').set(people.finance).expect(200);
    expect(known.body).toMatchObject({ code: 'D001', name: 'Dealer D001', status: 'ACTIVE' });

    const counted = (await svc.app.get(MessagingMetrics).events.get()).values;
    expect(counted.filter((v) => v.labels.topic === Topics.dealers)).toEqual([]);
    expect(
      counted
        .filter((v) => v.labels.topic === Topics.dealerRegistry && v.labels.outcome === 'applied')
        .reduce((n, v) => n + v.value, 0),
    ).toBe(2);
    const { consumerGroupId = 'requisitions' } = svc.app.get<MessagingOptions>(MESSAGING_OPTIONS);
    const offsets = await probe.committedOffsets(consumerGroupId, Topics.dealers);
    expect(offsets.length).toBeGreaterThan(0);
    expect(offsets.every((o) => o.offset === '-1')).toBe(true);
  });

  it('registry state delivered again under new event ids changes nothing; an older statement or version never overwrites a newer one', async () => {
    const at = (iso: string) => ({ occurredAt: new Date(iso) });
    const send = async (env: ReturnType<typeof testEnvelope>) =>
      probe.publish(Topics.dealerRegistry, env.dealerCode, JSON.stringify(env));
    const termsV1 = agreementTerms();
    const termsV2 = agreementTerms({ unitRate: '18.00' });
    const v1 = { dealerCode: 'D002', version: 1, effectiveFrom: '2026-01-01', terms: termsV1 };
    const v2 = { dealerCode: 'D002', version: 2, effectiveFrom: '2026-04-01', terms: termsV2 };

    const registered = testEnvelope(
      'DealerRegistered',
      'D002',
      dealerRegisteredPayload('D002'),
      at('2026-01-05T02:00:00Z'),
    );
    const setV1 = testEnvelope('AgreementVersionSet', 'D002', v1, at('2026-01-05T02:01:00Z'));
    const setV2 = testEnvelope('AgreementVersionSet', 'D002', v2, at('2026-03-10T02:00:00Z'));
    // The dealers service's republish: the same states, new event ids, stated now.
    const againRegistered = testEnvelope(
      'DealerRegistered',
      'D002',
      dealerRegisteredPayload('D002'),
      at('2026-06-01T00:00:00Z'),
    );
    const againV1 = testEnvelope('AgreementVersionSet', 'D002', v1, at('2026-06-01T00:00:00Z'));
    // An older statement of the dealer and an older copy of version 2 (say, the dealers topic replayed late).
    const older = testEnvelope(
      'DealerRegistered',
      'D002',
      dealerRegisteredPayload('D002', { name: 'An older name' }),
      at('2026-01-01T00:00:00Z'),
    );
    const staleV2 = testEnvelope('AgreementVersionSet', 'D002', { ...v2, terms: termsV1 }, at('2026-03-01T00:00:00Z'));
    const all = [registered, setV1, setV2, againRegistered, againV1, older, staleV2];
    for (const env of all) await send(env);
    await untilApplied(all.map((e) => e.eventId));

    const dealer = await sql.query(
      `SELECT name, status, source_event_id, occurred_at FROM known_dealers WHERE code = 'D002'`,
    );
    expect(dealer.rows).toEqual([
      {
        name: 'Dealer D002',
        status: 'ACTIVE',
        source_event_id: registered.eventId,
        occurred_at: new Date('2026-06-01T00:00:00Z'),
      },
    ]);
    const versions = async () =>
      (
        await sql.query(
          `SELECT version, effective_from::text AS effective_from, terms, source_event_id FROM known_agreements WHERE dealer_code = 'D002' ORDER BY version`,
        )
      ).rows;
    expect(await versions()).toEqual([
      { version: 1, effective_from: '2026-01-01', terms: termsV1, source_event_id: setV1.eventId },
      { version: 2, effective_from: '2026-04-01', terms: termsV2, source_event_id: setV2.eventId },
    ]);
    const directory = svc.app.get(DealerDirectoryService);
    expect((await directory.termsForMonth('D002', '2026-05'))?.version).toBe(2);
  });
});
