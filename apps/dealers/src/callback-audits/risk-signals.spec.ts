import { translate } from '@app/platform';
import {
  CardRiskFacts,
  daysBeforeMonthEnd,
  DealerRiskFacts,
  monthEndCluster,
  oversold,
  RISK_SIGNAL_CODES,
  RISK_WEIGHTS,
  riskHash,
  scoreCards,
  serialNumber,
  serialRuns,
  signalReasonRef,
  signalView,
} from './risk-signals';
import { reasonIn } from '@app/platform';

const card = (serial: string, over: Partial<CardRiskFacts> = {}): CardRiskFacts => ({
  serial,
  outlet: 'D001',
  model: 'EB-100',
  saleDate: '2026-01-10',
  phoneCards: 1,
  phoneDealers: 1,
  addressCards: 1,
  addressDealers: 1,
  ...over,
});
const quiet: DealerRiskFacts = { unitsSold: null, earlierAudited: 0, earlierFalsified: 0 };
const codes = (r: { signals: Array<{ code: string }> }) => r.signals.map((s) => s.code).sort();

describe('risk signals of callback audits (R-AUD-1, weighting RISK)', () => {
  it('a card without any pattern scores 1 and fires nothing', () => {
    const [r] = scoreCards([card('A-1')], quiet);
    expect(r).toEqual({ serial: 'A-1', score: 1, signals: [] });
  });

  it('SHARED_PHONE fires from 3 cards with the phone; PHONE_AT_OTHER_DEALERS from 2 dealers', () => {
    const [two, three, across] = scoreCards(
      [
        card('A-1', { phoneCards: 2 }),
        card('A-7', { phoneCards: 3 }),
        card('A-20', { phoneCards: 2, phoneDealers: 2 }),
      ],
      quiet,
    );
    expect(two.signals).toEqual([]);
    expect(codes(three)).toEqual(['SHARED_PHONE']);
    expect(three.score).toBe(1 + RISK_WEIGHTS.SHARED_PHONE);
    expect(three.signals[0].args).toEqual({ cards: 3 });
    expect(codes(across)).toEqual(['PHONE_AT_OTHER_DEALERS']);
    expect(across.score).toBe(1 + RISK_WEIGHTS.PHONE_AT_OTHER_DEALERS);
  });

  it('SHARED_ADDRESS and ADDRESS_AT_OTHER_DEALERS fire like the phone ones', () => {
    const [r] = scoreCards([card('A-1', { addressCards: 5, addressDealers: 3 })], quiet);
    expect(codes(r)).toEqual(['ADDRESS_AT_OTHER_DEALERS', 'SHARED_ADDRESS']);
    expect(r.score).toBe(1 + RISK_WEIGHTS.SHARED_ADDRESS + RISK_WEIGHTS.ADDRESS_AT_OTHER_DEALERS);
  });

  it('SERIAL_RUN fires on 4 or more consecutive serials of the same prefix, not on 3 or across prefixes', () => {
    expect(serialNumber('EB-000123')).toEqual({ prefix: 'EB-', n: 123n });
    expect(serialNumber('NODIGITS')).toBeNull();
    const runs = serialRuns(['EB-0009', 'EB-0010', 'EB-0011', 'EB-0012', 'EB-0020', 'EB-0021', 'EB-0022', 'XC-0013']);
    expect([...runs.keys()].sort()).toEqual(['EB-0009', 'EB-0010', 'EB-0011', 'EB-0012']);
    expect(runs.get('EB-0011')).toEqual({ length: 4, first: 'EB-0009', last: 'EB-0012' });
    const scored = scoreCards(
      ['S1', 'S2', 'S3', 'S4', 'S9'].map((s) => card(s)),
      quiet,
    );
    expect(scored.map((r) => r.score)).toEqual([4, 4, 4, 4, 1]);
    expect(scored[0].signals[0]).toEqual({
      code: 'SERIAL_RUN',
      weight: RISK_WEIGHTS.SERIAL_RUN,
      args: { length: 4, first: 'S1', last: 'S4' },
    });
  });

  it('MONTH_END_CLUSTER fires on month-end sale dates only when they are at least 3 and beyond chance (2 σ over a tenth)', () => {
    expect(daysBeforeMonthEnd('2026-01-31')).toBe(0);
    expect(daysBeforeMonthEnd('2026-02-26')).toBe(2);
    expect(daysBeforeMonthEnd('2024-02-26')).toBe(3); // leap year: 29 days
    const spread = Array.from({ length: 20 }, (_, i) =>
      card(`G-${i * 10}`, { saleDate: `2026-01-${String(i + 1).padStart(2, '0')}` }),
    );
    const twoAtEnd = [...spread, card('E-1', { saleDate: '2026-01-30' }), card('E-2', { saleDate: '2026-01-31' })];
    expect(monthEndCluster(twoAtEnd)).toBeNull();
    const clustered = [
      ...spread.slice(0, 6),
      ...['29', '30', '31'].map((d) => card(`E-${d}`, { saleDate: `2026-01-${d}` })),
    ];
    expect(monthEndCluster(clustered)).toBe(33);
    // 100 cards: a tenth expected at the end, σ = 3; 15 is within chance, 17 is not.
    const hundred = (atEnd: number) =>
      Array.from({ length: 100 }, (_, i) =>
        card(`H-${i * 10}`, {
          saleDate: i < atEnd ? '2026-01-30' : `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
        }),
      );
    expect(monthEndCluster(hundred(15))).toBeNull();
    expect(monthEndCluster(hundred(17))).toBe(17);
    const scored = scoreCards(clustered, quiet);
    expect(scored.filter((r) => r.signals.length > 0).map((r) => r.serial)).toEqual(['E-29', 'E-30', 'E-31']);
    expect(scored[6].signals[0]).toMatchObject({
      code: 'MONTH_END_CLUSTER',
      args: { saleDate: '2026-01-29', percent: 33 },
    });
  });

  it('MORE_CARDS_THAN_SOLD fires for an outlet and model with more cards than units sold, only with statistics', () => {
    const cards = [card('A-1'), card('A-5'), card('A-9', { model: 'EB-200' }), card('A-13', { outlet: 'S01' })];
    const sales = [
      { outlet: 'D001', model: 'EB-100', units: 1 },
      { outlet: 'D001', model: 'EB-200', units: 4 },
    ];
    expect(oversold(cards, null).size).toBe(0);
    const over = oversold(cards, sales);
    expect(over.size).toBe(2); // D001 EB-100 (2 > 1) and S01 EB-100 (1 > 0)
    const scored = scoreCards(cards, { ...quiet, unitsSold: sales });
    const over1 = 1 + RISK_WEIGHTS.MORE_CARDS_THAN_SOLD;
    expect(scored.map((r) => r.score)).toEqual([over1, over1, 1, over1]);
    expect(scored[0].signals[0].args).toEqual({ cards: 2, units: 1, model: 'EB-100', outlet: 'D001' });
    expect(scoreCards(cards, quiet).every((r) => r.score === 1)).toBe(true);
  });

  it('EARLIER_FALSIFIED adds weight only to patterned cards, and only from a 10 % falsified rate', () => {
    const cards = [card('A-1', { phoneCards: 4 }), card('A-5')];
    const caught = scoreCards(cards, { ...quiet, earlierAudited: 20, earlierFalsified: 2 });
    expect(codes(caught[0])).toEqual(['EARLIER_FALSIFIED', 'SHARED_PHONE']);
    expect(caught[0].score).toBe(1 + RISK_WEIGHTS.SHARED_PHONE + RISK_WEIGHTS.EARLIER_FALSIFIED);
    expect(caught[1].score).toBe(1);
    const fewer = scoreCards(cards, { ...quiet, earlierAudited: 21, earlierFalsified: 2 });
    expect(codes(fewer[0])).toEqual(['SHARED_PHONE']);
    expect(scoreCards(cards, { ...quiet, earlierAudited: 0, earlierFalsified: 0 })[0].score).toBe(4);
    // Not on a card whose only signal is its model being oversold: every card of the model has that.
    const oversoldOnly = scoreCards([card('A-9')], { unitsSold: [], earlierAudited: 4, earlierFalsified: 4 });
    expect(codes(oversoldOnly[0])).toEqual(['MORE_CARDS_THAN_SOLD']);
  });

  it('a card with every pattern adds every weight to 1', () => {
    const cards = [
      ...['R-1', 'R-2', 'R-3'].map((s) => card(s, { saleDate: '2026-01-31' })),
      card('R-4', { saleDate: '2026-01-31', phoneCards: 3, phoneDealers: 2, addressCards: 3, addressDealers: 2 }),
    ];
    const scored = scoreCards(cards, { unitsSold: [], earlierAudited: 5, earlierFalsified: 5 });
    const total = RISK_SIGNAL_CODES.reduce((s, c) => s + RISK_WEIGHTS[c], 1);
    expect(codes(scored[3])).toEqual([...RISK_SIGNAL_CODES].sort());
    expect(scored[3].score).toBe(total);
  });

  it('every signal has its reason in English and Chinese, with its values', () => {
    const signal = { code: 'SHARED_PHONE' as const, weight: 3, args: { cards: 7 } };
    expect(signalView(signal)).toEqual({ code: 'SHARED_PHONE', weight: 3, reason: 'the phone is on 7 accepted cards' });
    expect(reasonIn('zh-CN', signalView(signal)).reason).toBe('该电话出现在 7 张已接收的保修卡上');
    for (const code of RISK_SIGNAL_CODES) {
      const ref = signalReasonRef({ code, args: {} });
      expect(translate('en', ref)).not.toBe(ref.key);
      expect(translate('zh-CN', ref)).not.toBe(translate('en', ref));
    }
  });

  it('the score snapshot hash changes with any score', () => {
    expect(riskHash(['A', 'B'], [1, 4])).toMatch(/^[0-9a-f]{64}$/);
    expect(riskHash(['A', 'B'], [1, 4])).not.toBe(riskHash(['A', 'B'], [1, 5]));
  });
});
