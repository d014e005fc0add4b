/**
 * Drives the warranty-card slice through the public HTTP API of a running stack
 * (scripts/stack.sh up): a dealer with a PER_CARD agreement reports a month's cards,
 * and the settlement service's quarter balance picks up the accrual.
 * Run with scripts/demo.sh. Uses only HTTP (global fetch) and locally minted HS256 tokens.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SECRET = process.env.AUTH_JWT_SECRET ?? 'local-development-secret-please-change';
const DEALERS = 'http://127.0.0.1:3001';
const SETTLEMENT = 'http://127.0.0.1:3004';
const DEALER = 'D001';
const MONTH = '2026-01';
const QUARTER = '2026-Q1';
const UNIT_RATE = 15;
const BALANCE_TIMEOUT_MS = 60_000;

type Json = unknown;
interface Reply { status: number; body: Json }

function token(claims: { sub: string; role: string; dealer?: string }): string {
  const b64 = (value: object | Buffer): string =>
    (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${b64(createHmac('sha256', SECRET).update(unsigned).digest())}`;
}

const finance = token({ sub: 'demo-finance', role: 'finance' });
const dealer = token({ sub: 'demo-dealer-user', role: 'dealer', dealer: DEALER });

async function call(method: 'GET' | 'POST', url: string, bearer: string, body?: object): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
  if (body) {
    headers['content-type'] = 'application/json';
    headers['idempotency-key'] = `demo-${randomBytes(8).toString('hex')}`;
  }
  const res = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined }).catch((err: Error) => {
    throw new Error(`${method} ${url}: ${err.message} (is the stack up? bash scripts/stack.sh status)`);
  });
  const text = await res.text();
  let parsed: Json = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* keep the text */ }
  return { status: res.status, body: parsed };
}

function show(value: Json): string {
  return JSON.stringify(value, null, 2);
}

/** A create call that may already have happened in an earlier run (409 is fine). */
async function ensure(what: string, url: string, body: object): Promise<void> {
  const r = await call('POST', url, finance, body);
  if (r.status === 201 || r.status === 200) console.log(`✔ ${what}: created`);
  else if (r.status === 409) console.log(`✔ ${what}: already there (409)`);
  else throw new Error(`${what}: HTTP ${r.status}\n${show(r.body)}`);
}

/** Finds the per-card results in a batch reply, whatever the exact envelope is. */
function cardResults(body: Json): Array<Record<string, unknown>> {
  if (Array.isArray(body)) return body as Array<Record<string, unknown>>;
  if (body && typeof body === 'object') {
    for (const key of ['results', 'cards', 'items', 'data']) {
      const v = (body as Record<string, unknown>)[key];
      if (Array.isArray(v)) return v as Array<Record<string, unknown>>;
    }
  }
  return [];
}

function rejectionCodes(card: Record<string, unknown>): string[] {
  const out: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') collect((v as Record<string, unknown>).code);
  };
  for (const key of ['code', 'codes', 'errors', 'rejection', 'rejections']) collect(card[key]);
  return out;
}

/** The balance's accrual amount: its top-level `accrual`, else the sum of nested accrual fields. */
function accrualTotal(body: Json): number | undefined {
  const numeric = (v: unknown): v is string | number =>
    (typeof v === 'string' || typeof v === 'number') && v !== '' && !Number.isNaN(Number(v));
  if (body && typeof body === 'object' && numeric((body as Record<string, unknown>).accrual)) {
    return Number((body as Record<string, unknown>).accrual);
  }
  let total: number | undefined;
  const walk = (v: unknown, key = ''): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (/accru/i.test(key) && numeric(v)) total = (total ?? 0) + Number(v);
  };
  walk(body);
  return total;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const run = Date.now().toString(36).toUpperCase();
  console.log(`\nDemo run ${run}: dealer ${DEALER}, report month ${MONTH}, quarter ${QUARTER}\n`);

  // 1-2. Master data, by finance.
  await ensure(`dealer ${DEALER}`, `${DEALERS}/v1/dealers`, { code: DEALER, name: 'Demo Motors Hangzhou' });
  await ensure(`PER_CARD agreement for ${DEALER}`, `${DEALERS}/v1/dealers/${DEALER}/agreements`, {
    effectiveFrom: '2026-01-01', allowanceBasis: 'PER_CARD', unitRate: UNIT_RATE.toFixed(2), settlementMode: 'FUND_CARRY_OVER',
  });

  const balanceUrl = `${SETTLEMENT}/v1/dealers/${DEALER}/balance?quarter=${QUARTER}`;
  const readBalance = (): Promise<Reply> =>
    call('GET', balanceUrl, finance).catch((err: Error) => ({ status: 0, body: err.message }));
  const before = await readBalance();
  const baseline = before.status === 200 ? accrualTotal(before.body) ?? 0 : 0;

  // 3. The dealer reports its warranty cards: 12 new serials plus one repeated within the batch.
  const cards = Array.from({ length: 12 }, (_, i) => ({
    serial: `EB${run}${String(i + 1).padStart(3, '0')}`,
    model: 'EB-100',
    saleDate: '2026-01-10',
    outlet: DEALER,
    consumerName: `Customer ${i + 1}`,
    phone: '13800138000',
    address: `${i + 1} Demo Road, Hangzhou`,
  }));
  cards.push({ ...cards[0], consumerName: 'Customer 1 (again)' });
  const report = await call('POST', `${DEALERS}/v1/dealers/${DEALER}/reports/${MONTH}/warranty-cards`, dealer, { cards });
  if (report.status >= 300) throw new Error(`warranty-card batch: HTTP ${report.status}\n${show(report.body)}`);

  const results = cardResults(report.body);
  const rejected = results.filter((c) => /reject/i.test(String(c.status ?? c.result ?? '')) || c.accepted === false);
  const accepted = results.length - rejected.length;
  const codes = [...new Set(rejected.flatMap(rejectionCodes))];
  console.log(`✔ warranty cards: ${cards.length} sent, ${accepted} accepted, ${rejected.length} rejected` +
    (codes.length ? ` (${codes.join(', ')})` : ''));
  if (!results.length) console.log(show(report.body));

  // 4. Settlement consumes the accepted batch and accrues the allowance.
  const expected = baseline + accepted * UNIT_RATE;
  process.stdout.write(`… waiting for the ${QUARTER} balance to include ${accepted} × ${UNIT_RATE.toFixed(2)} `);
  const deadline = Date.now() + BALANCE_TIMEOUT_MS;
  let balance: Reply = before;
  let reflected = false;
  while (Date.now() < deadline) {
    balance = await readBalance();
    const accrual = balance.status === 200 ? accrualTotal(balance.body) : undefined;
    if (accrual !== undefined && accrual + 0.005 >= expected && accepted > 0) { reflected = true; break; }
    process.stdout.write('.');
    await sleep(1000);
  }
  console.log(reflected ? ' done' : ' timed out');
  console.log(`\nGET ${balanceUrl} → ${balance.status}\n${show(balance.body)}\n`);

  // 5. Where to look next.
  console.log('Swagger UI:');
  const names = ['dealers', 'requisitions', 'returns', 'settlement'];
  names.forEach((name, i) => console.log(`  ${name.padEnd(13)} http://127.0.0.1:${3001 + i}/docs`));
  console.log('\nThe stack keeps running; stop it with: bash scripts/stack.sh down');
  if (!reflected) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
