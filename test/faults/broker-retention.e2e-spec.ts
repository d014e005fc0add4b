import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { eventually, RunningService } from '@app/testing';
import {
  acceptedCards,
  CardFlow,
  cards,
  countedCards,
  eventAccount,
  healthStatus,
  seedCardDealer,
  startCardFlow,
  submitUntilDone,
  untilCounted,
} from '../support/fault-kit';

jest.setTimeout(600_000);

/**
 * A backlog larger than the broker keeps: settlement is down while dealers accepts 200,000 cards
 * (40 events of ~500 KB on one partition, about 20 MB); the local broker keeps about 5 MiB per partition, so
 * most of them are gone when settlement comes back. Settlement must notice (offset reset, jump
 * in the sequence), fetch the rest from dealers' event feed, and count every card.
 */
describe('fault: a backlog larger than the broker keeps', () => {
  let flow: CardFlow;
  let dealers: RunningService;
  let dealersDb: Client;
  let settlementDb: Client;

  beforeAll(async () => {
    flow = await startCardFlow('fault_retention', { EVENT_GAP_CHECK_MS: '2000' });
    ({ dealers, dealersDb, settlementDb } = flow);
  });

  afterAll(async () => {
    await flow?.stop();
  });

  it("fills what the broker dropped from dealers' event feed: counted = accepted, events in = applied + dead-lettered", async () => {
    await seedCardDealer(dealers.url, 'R001');
    // Settlement has consumed (and committed offsets for) the partition before it goes down.
    const warm = await submitUntilDone([dealers.url], 'R001', cards('WARM', 10, 'R001'), 'retention-warm');
    expect(warm.final.status).toBe(201);
    await untilCounted(settlementDb, 10, 60_000);

    await flow.settlement!.close();
    flow.settlement = undefined;
    const batches = 40;
    for (let b = 0; b < batches; b++) {
      const r = await submitUntilDone(
        [dealers.url],
        'R001',
        cards(`BKLG${String(b).padStart(2, '0')}`, 5000, 'R001'),
        `retention-${b}`,
      );
      expect(r.final.status).toBe(201);
      expect(r.final.body.accepted).toBe(5000);
    }
    const accepted = await acceptedCards(dealersDb);
    expect(accepted).toBe(10 + batches * 5000);
    // Everything is published before settlement returns (the broker has dropped the oldest by then).
    await eventually(async () => {
      const [{ n }] = (
        await dealersDb.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE published_at IS NULL`)
      ).rows;
      return n === 0 ? true : undefined;
    }, 120_000);

    const restartedAt = Date.now();
    const settlement = await flow.restartSettlement();
    await untilCounted(settlementDb, accepted, 300_000, 500);
    const caughtUpMs = Date.now() - restartedAt;

    const gaps = (
      await settlementDb.query(`SELECT status, filled, lost, detail FROM consumer_gaps WHERE topic = $1 ORDER BY id`, [
        Topics.dealers,
      ])
    ).rows;
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    for (const g of gaps) expect(g).toMatchObject({ status: 'HEALED', lost: 0 });
    const filled = gaps.reduce((n: number, g: { filled: number }) => n + g.filled, 0);
    expect(filled).toBeGreaterThan(0);

    const account = await eventAccount(dealersDb, settlementDb, Topics.dealers, 'settlement');
    expect(account.applied + account.deadLettered).toBe(account.published);
    expect(account.deadLettered).toBe(0);

    const metrics = await (await fetch(`${settlement.url}/metrics`)).text();
    expect(metrics).toMatch(/messaging_gaps_total\{[^}]*topic="dealers\.events\.v1"[^}]*\} [1-9]/);
    const resets = /messaging_offset_resets_total\{[^}]*topic="dealers\.events\.v1"[^}]*\} (\d+)/.exec(metrics);
    await eventually(async () => ((await healthStatus(settlement.url)) === 200 ? true : undefined), 60_000);

    process.stdout.write(
      `[fault: broker retention] accepted ${accepted}, counted ${await countedCards(settlementDb)}; events published ${account.published}, applied ${account.applied}, dead-lettered ${account.deadLettered}; ` +
        `gaps ${gaps.length} (filled ${filled} events from the feed); offset resets ${resets?.[1] ?? 0}; caught up ${caughtUpMs} ms after restart\n`,
    );
  });
});
