import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics } from '@app/contracts';
import { eventually, KafkaProbe, RunningService, testEnvelope } from '@app/testing';
import {
  acceptedCards,
  call,
  CardFlow,
  cards,
  countedCards,
  eventAccount,
  FINANCE,
  healthStatus,
  seedCardDealer,
  sleep,
  startCardFlow,
  submitUntilDone,
  Submission,
} from '../support/fault-kit';

jest.setTimeout(300_000);

describe('faults on the broker side', () => {
  let flow: CardFlow;
  let dealers: RunningService;
  let settlement: RunningService;
  let dealersDb: Client;
  let settlementDb: Client;
  let probe: KafkaProbe;

  beforeAll(async () => {
    flow = await startCardFlow('fault_broker');
    ({ dealers, dealersDb, settlementDb } = flow);
    settlement = flow.settlement!;
    probe = new KafkaProbe(flow.broker.brokers);
  });

  afterAll(async () => {
    await probe?.close();
    await flow?.stop();
  });

  const allCounted = () =>
    eventually(
      async () => {
        const [a, c] = [await acceptedCards(dealersDb), await countedCards(settlementDb)];
        return a === c ? a : undefined;
      },
      180_000,
      250,
    );

  it('broker down 20 s under load: dealers keeps accepting, settlement reports 503 meanwhile, then catches up exactly', async () => {
    for (const code of ['B001', 'B002', 'B003']) await seedCardDealer(dealers.url, code);
    await allCounted();

    // How long settlement takes to know a new dealer (finance inputs wait for it).
    const lags: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const code = `LAG${i}`;
      const registered = Date.now();
      await call('POST', `${dealers.url}/v1/dealers`, FINANCE, { code, name: `经销商 ${code}` });
      await eventually(
        async () => {
          const r = await call('GET', `${settlement.url}/v1/dealer-directory/${code}`, FINANCE);
          return !(r instanceof Error) && r.status === 200 ? true : undefined;
        },
        60_000,
        20,
      );
      lags.push(Date.now() - registered);
    }

    let loading = true;
    const submissions: Submission[] = [];
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; loading; i++) {
        const dealer = ['B001', 'B002', 'B003'][(w + i) % 3];
        submissions.push(
          await submitUntilDone(
            [dealers.url],
            dealer,
            cards(`OUT${w}X${String(i).padStart(4, '0')}`, 50, dealer),
            `outage-${w}-${i}`,
          ),
        );
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    await sleep(3000);

    const downAt = Date.now();
    const settlementHealth: number[] = [];
    const dealersHealth: number[] = [];
    const before = submissions.length;
    await flow.broker.down();
    while (Date.now() - downAt < 20_000) {
      settlementHealth.push(await healthStatus(settlement.url));
      dealersHealth.push(await healthStatus(dealers.url));
      await sleep(500);
    }
    const duringOutage = submissions.slice(before);
    await flow.broker.up();
    const upAt = Date.now();
    await sleep(3000);
    loading = false;
    await Promise.all(workers);

    // Dealers answered every request while the broker was down, and answered it once.
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(new Set(duringOutage.flatMap((s) => s.statuses))).toEqual(new Set([201]));
    expect(submissions.every((s) => s.final.status === 201 && s.final.body.accepted === 50)).toBe(true);
    // Settlement could not consume and said so.
    expect(settlementHealth.filter((s) => s === 503).length).toBeGreaterThan(settlementHealth.length / 2);

    const accepted = await allCounted();
    const recoveryMs = Date.now() - upAt;
    expect(accepted).toBe(submissions.length * 50);
    const account = await eventAccount(dealersDb, settlementDb, Topics.dealers, 'settlement');
    expect(account.applied + account.deadLettered).toBe(account.published);
    expect(account.deadLettered).toBe(0);
    await eventually(async () => ((await healthStatus(settlement.url)) === 200 ? true : undefined), 60_000);

    const sorted = [...lags].sort((a, b) => a - b);
    process.stdout.write(
      `[fault: broker down 20 s] batches ${submissions.length} (${duringOutage.length} during the outage, all 201); ` +
        `settlement /health during the outage: ${settlementHealth.filter((s) => s === 503).length}×503 of ${settlementHealth.length}; ` +
        `dealers /health: ${dealersHealth.filter((s) => s === 503).length}×503 of ${dealersHealth.length}; ` +
        `accepted ${accepted} = counted; events ${account.published} = applied ${account.applied} + dead-lettered ${account.deadLettered}; ` +
        `caught up ${recoveryMs} ms after the broker returned; registration → settlement knows the dealer: ${sorted.join(', ')} ms\n`,
    );
  });

  it('a poison event is dead-lettered at once and the events after it on the partition are applied', async () => {
    await seedCardDealer(dealers.url, 'P001');
    await allCounted();
    // Valid JSON and envelope; the payload cannot be stored (a date that does not exist, a month before 2000).
    const poison = [
      testEnvelope('WarrantyCardsAccepted', 'P001', {
        dealerCode: 'P001',
        reportMonth: '2026-01',
        batchId: randomUUID(),
        cards: [{ serial: 'POISON-0001', model: 'EB-100', saleDate: '2026-02-30', outlet: 'P001', flags: [] }],
      }),
      testEnvelope('WarrantyCardsAccepted', 'P001', {
        dealerCode: 'P001',
        reportMonth: '0000-01',
        batchId: randomUUID(),
        cards: [{ serial: 'POISON-0002', model: 'EB-100', saleDate: '2026-01-10', outlet: 'P001', flags: [] }],
      }),
    ];
    for (const p of poison) await probe.publish(Topics.dealers, 'P001', JSON.stringify(p));
    const good: Submission[] = [];
    for (let i = 0; i < 30; i++)
      good.push(
        await submitUntilDone(
          [dealers.url],
          'P001',
          cards(`GOOD${String(i).padStart(3, '0')}`, 20, 'P001'),
          `poison-good-${i}`,
        ),
      );
    await allCounted();

    const letters = (
      await settlementDb.query(
        `SELECT event_id, outcome, reason FROM inbox_processed_events WHERE event_id = ANY($1) ORDER BY reason`,
        [poison.map((p) => p.eventId)],
      )
    ).rows;
    expect(letters).toHaveLength(2);
    for (const l of letters) {
      expect(l.outcome).toBe('dead-lettered');
      expect(l.reason).not.toMatch(/after \d+ attempts/);
    }
    const dlq = (
      await settlementDb.query(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE topic = 'settlement.dlq.v1' AND (envelope::text LIKE $1 OR envelope::text LIKE $2)`,
        [`%${poison[0].eventId}%`, `%${poison[1].eventId}%`],
      )
    ).rows[0].n;
    expect(dlq).toBe(2);
    expect(good.every((g) => g.final.status === 201 && g.final.body.accepted === 20)).toBe(true);
    const counted = (await settlementDb.query(`SELECT count(*)::int AS n FROM card_facts WHERE dealer_code = 'P001'`))
      .rows[0].n;
    expect(counted).toBe(30 * 20);
    const account = await eventAccount(dealersDb, settlementDb, Topics.dealers, 'settlement');
    // The two poison events came from outside dealers' outbox.
    expect(account.applied + account.deadLettered).toBe(account.published + poison.length);
    process.stdout.write(
      `[fault: poison] 2 poison events dead-lettered once each (${letters.map((l) => l.reason.slice(0, 80)).join(' | ')}); 30 batches after them applied (${counted} cards)\n`,
    );
  });
});
