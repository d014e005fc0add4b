/**
 * The operator's replay: asks a consuming service to fetch a range of a topic-partition from
 * the producer's event feed and apply it again, page by page, until the range is done. Applying
 * is idempotent (the consumer's inbox): events already applied are counted as duplicates.
 *
 *   bash scripts/replay.sh <consumer> <topic> <partition> [fromSeq] [toSeq] [--retry-dead-lettered] [--acknowledge-lost]
 *
 * CONSUMER_URL overrides the local URL of the consumer (http://127.0.0.1:<its port>); ADMIN_TOKEN
 * is the bearer token to use, otherwise one is signed with AUTH_JWT_SECRET.
 */
import { issueToken } from '@app/platform';

const PORTS: Record<string, number> = { dealers: 3001, requisitions: 3002, returns: 3003, settlement: 3004 };

function usage(message?: string): never {
  if (message) console.error(`error: ${message}`);
  console.error(
    'usage: bash scripts/replay.sh <consumer> <topic> <partition> [fromSeq] [toSeq] [--retry-dead-lettered] [--acknowledge-lost]',
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
  const [consumer, topic, partitionText, fromText = '1', toText] = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'));
  if (!consumer || !topic || partitionText === undefined) usage();
  for (const f of flags) if (f !== '--retry-dead-lettered' && f !== '--acknowledge-lost') usage(`unknown option ${f}`);
  const base =
    process.env.CONSUMER_URL ??
    (PORTS[consumer] ? `http://127.0.0.1:${PORTS[consumer]}` : usage(`unknown service ${consumer}`));
  const token =
    process.env.ADMIN_TOKEN ??
    issueToken(process.env.AUTH_JWT_SECRET ?? 'local-development-secret-please-change', {
      sub: 'operator-replay',
      role: 'admin',
    });
  const partition = Number(partitionText);
  let fromSeq: number | null = Number(fromText);
  const toSeq = toText === undefined ? undefined : Number(toText);
  if (!Number.isInteger(partition) || !Number.isInteger(fromSeq) || (toSeq !== undefined && !Number.isInteger(toSeq)))
    usage('partition, fromSeq and toSeq are whole numbers');
  const totals: Record<string, number> = { applied: 0, duplicate: 0, skipped: 0, 'dead-lettered': 0 };
  let acknowledgeLost = flags.has('--acknowledge-lost');
  while (fromSeq !== null) {
    const res = await fetch(`${base}/v1/event-replays`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        topic,
        partition,
        fromSeq,
        toSeq,
        limit: 500,
        retryDeadLettered: flags.has('--retry-dead-lettered'),
        acknowledgeLost,
      }),
    });
    const body = (await res.json()) as {
      nextSeq: number | null;
      counts: Record<string, number>;
      acknowledgedGaps: number;
      detail?: string;
    };
    if (!res.ok) throw new Error(`${res.status}: ${body.detail ?? JSON.stringify(body)}`);
    for (const [k, v] of Object.entries(body.counts)) totals[k] += v;
    if (acknowledgeLost) console.log(`acknowledged ${body.acknowledgedGaps} gap(s) with lost events`);
    acknowledgeLost = false;
    console.log(`${topic}[${partition}] from ${fromSeq}: ${JSON.stringify(body.counts)}`);
    fromSeq = body.nextSeq;
  }
  console.log(`done: ${JSON.stringify(totals)}`);
}

main().catch((err: unknown) => {
  console.error(`replay failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
