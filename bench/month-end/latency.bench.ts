/**
 * npm run bench:latency — how long a card batch takes to reach settlement at a steady
 * 1,000 cards/s (100 batches of 10 per second, sent open loop: each on its schedule, whatever the
 * previous one is doing). For each batch: committed (the dealer has its 201) → published (the
 * outbox row's published_at) → applied (settlement's card_facts.received_at), all on the same
 * machine clock. BENCH_LATENCY_SECONDS (30), BENCH_LATENCY_CARDS_PER_SECOND (1000).
 */
import { Client } from 'pg';
import { ms, printTable, Row } from './report';
import { cards, dealerToken, MONTH, seedDealers } from './seed';
import { log, url, withStack } from './stack';

const SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
const CARDS_PER_SECOND = Number(process.env.BENCH_LATENCY_CARDS_PER_SECOND ?? 1000);
const BATCH = 10;
const DEALERS = 20;

interface Sent {
  firstSerial: string;
  committedAt: number;
  httpMs: number;
  status: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `p50 ${ms(percentile(s, 50))}, p99 ${ms(percentile(s, 99))}, max ${ms(s[s.length - 1])} (${s.length})`;
}

async function send(codes: string[], seq: number): Promise<Sent> {
  const code = codes[seq % codes.length];
  const batch = cards(seq, BATCH, code);
  const started = Date.now();
  const res = await fetch(`${url('dealers')}/v1/dealers/${code}/reports/${MONTH}/warranty-cards`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${dealerToken(code)}`,
      'content-type': 'application/json',
      'idempotency-key': `lat-${seq}`,
    },
    body: JSON.stringify({ cards: batch }),
  });
  await res.arrayBuffer();
  const committedAt = Date.now();
  return { firstSerial: batch[0].serial, committedAt, httpMs: committedAt - started, status: res.status };
}

/** Sends batch i at start + i × interval, without waiting for earlier answers. */
async function openLoop(codes: string[]): Promise<Sent[]> {
  const total = Math.round((SECONDS * CARDS_PER_SECOND) / BATCH);
  const intervalMs = (1000 * BATCH) / CARDS_PER_SECOND;
  const start = Date.now() + 100;
  const inFlight: Promise<Sent>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + i * intervalMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(codes, i));
  }
  return Promise.all(inFlight);
}

async function appliedAt(serials: string[]): Promise<Map<string, number>> {
  const db = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/settlement' });
  await db.connect();
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await db.query(`SELECT serial, received_at FROM card_facts WHERE serial = ANY($1::text[])`, [
        serials,
      ]);
      if (rows.length === serials.length || Date.now() > deadline)
        return new Map(rows.map((r) => [r.serial as string, (r.received_at as Date).getTime()]));
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await db.end();
  }
}

async function relayDelays(): Promise<number[]> {
  const db = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/dealers' });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT extract(epoch FROM published_at - created_at) * 1000 AS ms FROM outbox_messages
        WHERE type = 'WarrantyCardsAccepted' AND published_at IS NOT NULL`,
    );
    return rows.map((r) => Number(r.ms));
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  await withStack(async () => {
    const codes = await seedDealers(DEALERS);
    log('latency', `${CARDS_PER_SECOND} cards/s in batches of ${BATCH} for ${SECONDS} s, open loop`);
    const sent = await openLoop(codes);
    const failed = sent.filter((s) => s.status !== 201).length;
    const statuses = Object.entries(
      sent.reduce<Record<number, number>>((n, s) => ({ ...n, [s.status]: (n[s.status] ?? 0) + 1 }), {}),
    )
      .map(([status, n]) => `${status}×${n}`)
      .join(' ');
    const applied = await appliedAt(sent.map((s) => s.firstSerial));
    const endToEnd = sent
      .filter((s) => applied.has(s.firstSerial))
      .map((s) => applied.get(s.firstSerial)! - s.committedAt);
    rows.push(
      {
        work: 'HTTP answer (sent → 201)',
        measured: `${summary(sent.map((s) => s.httpMs))}, errors ${failed} (statuses ${statuses})`,
      },
      { work: 'committed → published (relay)', measured: summary(await relayDelays()) },
      {
        work: 'committed → applied in settlement',
        measured: `${summary(endToEnd)}; not applied within 120 s: ${sent.length - endToEnd.length}`,
        aim: 'p50 ≤ 50 ms, p99 ≤ 250 ms',
      },
    );
  });
  printTable('latency', rows);
}

main().catch((err) => {
  process.stderr.write(`[bench:latency] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
