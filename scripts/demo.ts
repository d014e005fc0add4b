/**
 * Drives the warranty-card slice through the public HTTP API of a running stack
 * (scripts/stack.sh up): finance registers a dealer and its PER_CARD agreement, the
 * dealer reports a month's warranty cards, and the settlement service's quarter
 * balance picks up the accrual from the events. Run with scripts/demo.sh.
 */
import { randomUUID } from 'node:crypto';
import { dec, formatMoney } from '@app/kernel';
import { issueToken } from '@app/platform';

const SECRET = process.env.AUTH_JWT_SECRET ?? 'local-development-secret-please-change';
const DEALERS = 'http://127.0.0.1:3001';
const SETTLEMENT = 'http://127.0.0.1:3004';
const DEALER = 'D001';
const MONTH = '2026-01';
const QUARTER = '2026-Q1';
const UNIT_RATE = '15.00';
const BALANCE_TIMEOUT_MS = 60_000;

interface Reply<T = any> {
  status: number;
  body: T;
}

const finance = issueToken(SECRET, { sub: 'demo-finance', role: 'finance' });
const dealer = issueToken(SECRET, { sub: 'demo-dealer-user', role: 'dealer', dealer: DEALER });

async function call<T = any>(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  token: string,
  body?: object,
): Promise<Reply<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body) {
    headers['content-type'] = 'application/json';
    if (method === 'POST') headers['idempotency-key'] = `demo-${randomUUID()}`;
  }
  const res = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined }).catch(
    (err: Error) => {
      throw new Error(`${method} ${url}: ${err.message} (is the stack up? bash scripts/stack.sh status)`);
    },
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A create call that an earlier run may already have made: 409 means it is there. */
async function ensure(what: string, method: 'POST' | 'PUT', url: string, body: object): Promise<void> {
  const r = await call(method, url, finance, body);
  if (r.status === 200 || r.status === 201) console.log(`✔ ${what}: done`);
  else if (r.status === 409) console.log(`✔ ${what}: already there`);
  else throw new Error(`${what}: HTTP ${r.status}\n${JSON.stringify(r.body, null, 2)}`);
}

async function main(): Promise<void> {
  const run = Date.now().toString(36).toUpperCase();
  console.log(`\nDemo run ${run}: dealer ${DEALER}, report month ${MONTH}, quarter ${QUARTER}\n`);

  await ensure(`dealer ${DEALER}`, 'POST', `${DEALERS}/v1/dealers`, { code: DEALER, name: '杭州示范车行 Demo Motors' });
  await ensure('product model EB-100', 'PUT', `${DEALERS}/v1/product-models/EB-100`, { name: '电动自行车 EB-100' });
  await ensure(`PER_CARD agreement for ${DEALER}`, 'POST', `${DEALERS}/v1/dealers/${DEALER}/agreements`, {
    effectiveFrom: '2026-01-01',
    allowanceBasis: 'PER_CARD',
    unitRate: UNIT_RATE,
    settlementMode: 'FUND_CARRY_OVER',
  });

  const balanceUrl = `${SETTLEMENT}/v1/dealers/${DEALER}/balance?quarter=${QUARTER}`;
  const before = await call('GET', balanceUrl, finance);
  const baseline = before.status === 200 ? dec(before.body.accrual) : dec(0);

  // Twelve new serials, then the first one again: the database accepts a serial once.
  const cards = Array.from({ length: 12 }, (_, i) => ({
    serial: `EB${run}${String(i + 1).padStart(3, '0')}`,
    model: 'EB-100',
    saleDate: '2026-01-10',
    outlet: DEALER,
    consumerName: `顾客 ${i + 1}`,
    phone: '13800138000',
    address: `杭州市示范路 ${i + 1} 号`,
  }));
  cards.push({ ...cards[0] });
  const batch = await call('POST', `${DEALERS}/v1/dealers/${DEALER}/reports/${MONTH}/warranty-cards`, dealer, {
    cards,
  });
  if (batch.status !== 201)
    throw new Error(`warranty-card batch: HTTP ${batch.status}\n${JSON.stringify(batch.body, null, 2)}`);
  const codes = [...new Set(batch.body.results.filter((r: any) => r.status === 'REJECTED').map((r: any) => r.code))];
  console.log(
    `✔ warranty cards: ${cards.length} sent, ${batch.body.accepted} accepted, ${batch.body.rejected} rejected` +
      (codes.length ? ` (${codes.join(', ')})` : ''),
  );

  const expected = baseline.plus(dec(UNIT_RATE).times(batch.body.accepted));
  process.stdout.write(`… waiting for settlement's ${QUARTER} accrual to reach ${formatMoney(expected)} `);
  const deadline = Date.now() + BALANCE_TIMEOUT_MS;
  let balance = before;
  let reflected = false;
  while (Date.now() < deadline) {
    balance = await call('GET', balanceUrl, finance);
    if (balance.status === 200 && dec(balance.body.accrual).gte(expected)) {
      reflected = true;
      break;
    }
    process.stdout.write('.');
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(reflected ? ' done' : ' timed out');
  console.log(`\nGET ${balanceUrl} → ${balance.status}\n${JSON.stringify(balance.body, null, 2)}\n`);

  console.log('Swagger UI (the settlement page lists all four APIs):');
  ['dealers', 'requisitions', 'returns', 'settlement'].forEach((name, i) =>
    console.log(`  ${name.padEnd(13)} http://127.0.0.1:${3001 + i}/docs`),
  );
  console.log('\nThe stack keeps running; stop it with: bash scripts/stack.sh down');
  if (!reflected) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
