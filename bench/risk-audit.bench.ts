/**
 * npm run bench:risk — how many planted fake cards a callback audit finds with a uniform and with a
 * risk-weighted sample of the same size (R-AUD-1, weighting RISK).
 *
 * 1. In memory, the algorithm under test: generated months of many dealers, some of which plant
 *    fake cards with the patterns fakes show (a phone reused within and across dealers, serial runs,
 *    month-end sale dates, more cards than units reported sold, earlier falsified audits); genuine
 *    cards carry the same patterns now and then (families, fleet sales, month-end promotions,
 *    sloppy sales statistics) so it is not trivial. Each dealer's month is audited at BENCH_PERCENT
 *    with the uniform draw and the risk-weighted draw (same seed, same size), over BENCH_SEEDS seeds;
 *    the fakes found are summed per seed and averaged.
 * 2. Once through the real service (BENCH_SERVICE=0 skips it): a few dealers' cards and sales
 *    statistics submitted over HTTP, then POST /v1/audits with weighting RISK; its sample must be the
 *    one the in-memory draw gives over the same data (so the SQL facts are the ones simulated).
 *
 * Environment: BENCH_DEALERS (300), BENCH_SEEDS (5), BENCH_PERCENT ('10'), BENCH_SERVICE (1),
 * TEST_DATABASE_ADMIN_URL as for the tests.
 */
import { drawSample } from '../apps/dealers/src/callback-audits/audit-sample';
import { drawWeightedSample } from '../apps/dealers/src/callback-audits/risk-sample';
import { CardRiskFacts, DealerRiskFacts, scoreCards } from '../apps/dealers/src/callback-audits/risk-signals';

const DEALERS = Number(process.env.BENCH_DEALERS ?? 300);
const SEEDS = Number(process.env.BENCH_SEEDS ?? 5);
const PERCENT = process.env.BENCH_PERCENT ?? '10';
const SERVICE = process.env.BENCH_SERVICE !== '0';
const MONTH = '2026-01';
const MODELS = ['EB-100', 'EB-200', 'EB-300', 'EB-500'];

const log = (msg: string) => process.stdout.write(`[bench:risk] ${msg}\n`);

/** A small seeded generator (mulberry32), so every run generates the same cards. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenCard {
  dealer: string;
  serial: string;
  model: string;
  saleDate: string;
  phone: string;
  address: string;
  fake: boolean;
}
export interface GenDealer {
  code: string;
  cards: GenCard[];
  sales: Array<{ outlet: string; model: string; units: number }>;
  earlierAudited: number;
  earlierFalsified: number;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const day = (d: number) => `${MONTH}-${pad(d, 2)}`;

/** One dealer's month: genuine cards with some noise and, for a faking dealer, planted fakes. */
function generateDealer(i: number, r: () => number, sharedFakePhones: string[]): GenDealer {
  const code = `D${pad(i + 1, 3)}`;
  const faking = r() < 0.3;
  const genuineCount = 40 + Math.floor(r() * 80);
  const cards: GenCard[] = [];
  let serialNo = 1_000 + i * 100_000;
  let phoneNo = i * 10_000;
  const genuinePhone = () => `139${pad(phoneNo++, 8)}`;
  while (cards.length < genuineCount) {
    // Now and then a fleet (4-6 consecutive serials to one buyer) or a family (3 cards, one phone).
    const kind = r();
    const fleet = kind < 0.02;
    const group = fleet ? 4 + Math.floor(r() * 3) : kind < 0.05 ? 3 : 1;
    const phone = genuinePhone();
    for (let k = 0; k < group; k++) {
      serialNo += fleet ? 1 : 2 + Math.floor(r() * 40);
      cards.push({
        dealer: code,
        serial: `SN${pad(serialNo, 9)}`,
        model: MODELS[Math.floor(r() * MODELS.length)],
        saleDate: day(1 + Math.floor(r() * 31)), // evenly spread: about a tenth at the month's end
        phone,
        address: `城区 ${code} 街道 ${cards.length} 号`,
        fake: false,
      });
    }
  }
  const genuineByModel = new Map<string, number>();
  for (const c of cards) genuineByModel.set(c.model, (genuineByModel.get(c.model) ?? 0) + 1);
  // Honest statistics match the genuine cards; a sloppy few under-report one model by a unit or two.
  const sales = MODELS.map((model) => ({ outlet: code, model, units: genuineByModel.get(model) ?? 0 }));
  if (r() < 0.15) sales[Math.floor(r() * sales.length)].units -= 1 + Math.floor(r() * 2);
  if (faking) plantFakes(code, cards, r, sharedFakePhones, i);
  const earlierAudited = 10 + Math.floor(r() * 20);
  const caughtBefore = faking ? r() < 0.4 : r() < 0.05;
  const earlierFalsified = caughtBefore ? Math.ceil(earlierAudited * (0.1 + r() * 0.2)) : 0;
  return { code, cards, sales, earlierAudited, earlierFalsified };
}

/** Fakes: 8-25 % of the month, each pattern with some probability, so not every fake shows every pattern. */
function plantFakes(code: string, cards: GenCard[], r: () => number, shared: string[], i: number): void {
  const n = Math.max(2, Math.floor(cards.length * (0.08 + r() * 0.17)));
  const model = MODELS[Math.floor(r() * MODELS.length)];
  let runStart = 50_000 + i * 100_000;
  const ownPhones = [`137${pad(i * 10, 8)}`, `137${pad(i * 10 + 1, 8)}`];
  for (let f = 0; f < n; f++) {
    const inRun = r() < 0.7;
    runStart += inRun ? 1 : 5 + Math.floor(r() * 50);
    const p = r();
    cards.push({
      dealer: code,
      serial: `SN${pad(runStart, 9)}`,
      model: r() < 0.8 ? model : MODELS[Math.floor(r() * MODELS.length)],
      saleDate: r() < 0.7 ? day(29 + Math.floor(r() * 3)) : day(1 + Math.floor(r() * 28)),
      phone:
        p < 0.45 ? ownPhones[f % 2] : p < 0.7 ? shared[Math.floor(r() * shared.length)] : `136${pad(i * 1000 + f, 8)}`,
      address: r() < 0.3 ? `城区 ${code} 商业街 1 号` : `城区 ${code} 街道 F${f} 号`,
      fake: true,
    });
  }
}

/** What the repository's SQL computes: phone and address counts over every accepted card, and dealers. */
export function riskFactsOf(dealers: GenDealer[]): Map<string, { cards: CardRiskFacts[]; dealer: DealerRiskFacts }> {
  const count = (key: (c: GenCard) => string) => {
    const m = new Map<string, { cards: number; dealers: Set<string> }>();
    for (const d of dealers)
      for (const c of d.cards) {
        const e = m.get(key(c)) ?? { cards: 0, dealers: new Set<string>() };
        e.cards++;
        e.dealers.add(c.dealer);
        m.set(key(c), e);
      }
    return m;
  };
  const phones = count((c) => c.phone);
  const addresses = count((c) => c.address.replace(/\s/g, '').toLowerCase());
  const out = new Map<string, { cards: CardRiskFacts[]; dealer: DealerRiskFacts }>();
  for (const d of dealers) {
    const cards = d.cards.map((c) => {
      const ph = phones.get(c.phone)!;
      const ad = addresses.get(c.address.replace(/\s/g, '').toLowerCase())!;
      return {
        ...{ serial: c.serial, outlet: c.dealer, model: c.model, saleDate: c.saleDate },
        ...{
          phoneCards: ph.cards,
          phoneDealers: ph.dealers.size,
          addressCards: ad.cards,
          addressDealers: ad.dealers.size,
        },
      };
    });
    const dealer = { unitsSold: d.sales, earlierAudited: d.earlierAudited, earlierFalsified: d.earlierFalsified };
    out.set(d.code, { cards, dealer });
  }
  return out;
}

export function generate(dealerCount: number, seed = 2026): GenDealer[] {
  const r = rng(seed);
  const shared = Array.from({ length: 6 }, (_, k) => `135${pad(k, 8)}`);
  return Array.from({ length: dealerCount }, (_, i) => generateDealer(i, r, shared));
}

/** Fakes found by both draws over every dealer's month, for one seed. */
function auditAll(dealers: GenDealer[], facts: ReturnType<typeof riskFactsOf>, seed: string) {
  let uniform = 0;
  let risk = 0;
  let sampled = 0;
  for (const d of dealers) {
    const fake = new Set(d.cards.filter((c) => c.fake).map((c) => c.serial));
    const f = facts.get(d.code)!;
    const scored = scoreCards(f.cards, f.dealer);
    const serials = scored.map((s) => s.serial);
    const u = drawSample(`${seed}:${d.code}`, serials, PERCENT).serials;
    const w = drawWeightedSample(
      `${seed}:${d.code}`,
      serials,
      scored.map((s) => s.score),
      PERCENT,
    ).serials;
    if (u.length !== w.length) throw new Error('samples of different sizes');
    sampled += u.length;
    uniform += u.filter((s) => fake.has(s)).length;
    risk += w.filter((s) => fake.has(s)).length;
  }
  return { uniform, risk, sampled };
}

function inMemory(): { uniform: number; risk: number } {
  const started = Date.now();
  const dealers = generate(DEALERS);
  const facts = riskFactsOf(dealers);
  const cards = dealers.reduce((n, d) => n + d.cards.length, 0);
  const fakes = dealers.reduce((n, d) => n + d.cards.filter((c) => c.fake).length, 0);
  log(
    `${DEALERS} dealers, ${cards} cards, ${fakes} planted fakes (${((fakes * 100) / cards).toFixed(1)} %), sample ${PERCENT} % of each dealer's month`,
  );
  let uniform = 0;
  let risk = 0;
  let sampled = 0;
  for (let s = 0; s < SEEDS; s++) {
    const found = auditAll(dealers, facts, `bench-seed-${s}`);
    log(`seed ${s}: ${found.sampled} cards sampled, uniform found ${found.uniform} fakes, risk-weighted ${found.risk}`);
    uniform += found.uniform;
    risk += found.risk;
    sampled = found.sampled;
  }
  const avgU = uniform / SEEDS;
  const avgR = risk / SEEDS;
  log(
    `average over ${SEEDS} seeds, ${sampled} cards sampled each: uniform ${avgU.toFixed(1)} fakes, risk-weighted ${avgR.toFixed(1)} fakes, ratio ${(avgR / avgU).toFixed(2)}× (aim ≥ 2×) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { uniform: avgU, risk: avgR };
}

async function main(): Promise<void> {
  const { uniform, risk } = inMemory();
  if (SERVICE) await (await import('./risk-audit-service')).throughService(generate, riskFactsOf, log);
  if (risk < 2 * uniform) {
    log('risk-weighted sampling found fewer than twice the fakes of uniform sampling');
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
