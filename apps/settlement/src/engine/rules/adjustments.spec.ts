import fc from 'fast-check';
import type { AgreementTerms } from '@app/contracts';
import { addQuarters, dec, formatMoney, roundMoney, sumMoney } from '@app/kernel';
import { workedExampleTerms } from '@app/testing';
import { computeStatement } from '../compute-statement';
import type { LateFact, PurchaseInput, StatementInput } from '../statement-input';
import { emptyQuarterInput } from '../statement-input.test-support';

const PURCHASES = (percent: string) =>
  workedExampleTerms({
    allowanceBasis: 'PURCHASES_PERCENT',
    unitRate: null,
    modelRates: [],
    percent,
  }) as AgreementTerms;

function quarterInput(quarter: string, terms: AgreementTerms, over: Partial<StatementInput> = {}): StatementInput {
  const first = (Number(quarter.slice(6)) - 1) * 3 + 1;
  const months = [0, 1, 2].map((i) => {
    const month = `${quarter.slice(0, 4)}-${String(first + i).padStart(2, '0')}`;
    return {
      month,
      terms,
      agreementVersion: 1,
      reportFirstSubmittedAt: `${month}-28T02:00:00.000Z`,
      reportOnTime: true,
    };
  });
  return emptyQuarterInput(quarter, months, over);
}

const purchase = (id: string, amount: string, invoiceDate = '2026-08-20'): PurchaseInput => ({
  id,
  reference: `RP-${id}`,
  invoiceDate,
  amount,
});

const latePurchase = (
  terms: AgreementTerms,
  fact: PurchaseInput,
  settledBase: string,
  over: Partial<LateFact> = {},
): LateFact =>
  ({ kind: 'PURCHASE', period: '2026-08', terms, agreementVersion: 1, fact, settledBase, ...over }) as LateFact;

const adjustmentsOf = (input: StatementInput, period = '2026-08') =>
  computeStatement(input).lines.filter((l) => l.kind === 'PRIOR_PERIOD_ADJUSTMENT' && l.period === period);

describe('R-SET-7 with a percent basis (DOMAIN §9 point 1)', () => {
  const terms = PURCHASES('1.2178');

  it('R-SET-7 §9.1 a late purchase re-rounds its month on the whole base: +576.05', () => {
    const q3 = computeStatement(quarterInput('2026-Q3', terms, { purchases: [purchase('p1', '183400.61')] }));
    expect(q3.lines.find((l) => l.period === '2026-08')).toMatchObject({ base: '183400.61', amount: '2233.45' });
    const [line] = adjustmentsOf(
      quarterInput('2026-Q4', terms, { lateFacts: [latePurchase(terms, purchase('p2', '47302.05'), '183400.61')] }),
    );
    expect(line).toMatchObject({ ruleId: 'R-SET-7', base: '230702.66', percent: '1.2178', amount: '576.05' });
    expect(line.description).toContain('RP-p2');
    expect(line.description).toContain('2809.50');
    expect(line.sources).toMatchObject({
      originalRuleId: 'R-SET-3',
      baseBefore: '183400.61',
      accrualBefore: '2233.45',
    });
  });

  it('R-SET-7 §9.1 a late purchase of a quarter whose accrual was cancelled (R-SET-5/6) adjusts nothing: the quarter stays cancelled', () => {
    const late = latePurchase(terms, purchase('p2', '47302.05'), '183400.61', { quarterCancelled: true } as never);
    expect(adjustmentsOf(quarterInput('2026-Q4', terms, { lateFacts: [late] }))).toEqual([]);
    const breach: LateFact = {
      kind: 'BREACH',
      period: '2026-Q3',
      fact: { id: 'b', reference: 'BR-1', quarter: '2026-Q3' },
      quarterAccrual: '2233.45',
    };
    const r = computeStatement(
      quarterInput('2026-Q4', terms, {
        lateFacts: [latePurchase(terms, purchase('p2', '47302.05'), '183400.61'), breach],
      }),
    );
    expect(r.totals.adjustments).toBe('-2233.45');
  });

  it('R-SET-7 §9.1 several late facts of a month in one statement each re-round the month: the lines sum to the whole base rounded once', () => {
    const lines = adjustmentsOf(
      quarterInput('2026-Q4', terms, {
        lateFacts: [
          latePurchase(terms, purchase('p2', '0.41'), '183400.61'),
          latePurchase(terms, purchase('p3', '0.41'), '183400.61'),
          latePurchase(terms, purchase('p4', '47302.05'), '183400.61'),
        ],
      }),
    );
    const whole = roundMoney(dec('230703.48').times('1.2178').dividedBy(100));
    expect(formatMoney(sumMoney(lines.map((l) => l.amount)))).toBe(formatMoney(whole.minus('2233.45')));
  });
});

const cents = fc.bigInt({ min: 1n, max: 999_999_999_999n }).map((c) => formatMoney(dec(c.toString()).dividedBy(100)));
const percentArb = fc.integer({ min: 1, max: 1_000_000 }).map((p) => dec(p).dividedBy(10_000).toFixed(4));

describe('R-SET-7 §9.1 properties (fast-check)', () => {
  it('R-SET-7 §9.1 R-MNY-1 a month split into an on-time part and late parts sums to its whole base × percent rounded once', () => {
    fc.assert(
      fc.property(
        percentArb,
        fc.array(fc.record({ amount: cents, statement: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        (percent, facts) => {
          const terms = PURCHASES(percent);
          const all = facts.map((f, i) => ({ ...f, fact: purchase(`p${String(i).padStart(2, '0')}`, f.amount) }));
          const original = computeStatement(
            quarterInput('2026-Q3', terms, { purchases: all.filter((f) => f.statement === 0).map((f) => f.fact) }),
          );
          const amounts = original.lines
            .filter((l) => l.period === '2026-08' && l.kind === 'ALLOWANCE_ACCRUAL')
            .map((l) => l.amount);
          for (let k = 1; k <= 3; k++) {
            const settledBase = formatMoney(sumMoney(all.filter((f) => f.statement < k).map((f) => f.amount)));
            const lateFacts = all.filter((f) => f.statement === k).map((f) => latePurchase(terms, f.fact, settledBase));
            const input = quarterInput(addQuarters('2026-Q3', k), terms, { lateFacts });
            amounts.push(...adjustmentsOf(input).map((l) => l.amount));
            const upToNow = sumMoney(all.filter((f) => f.statement <= k).map((f) => f.amount));
            expect(formatMoney(sumMoney(amounts))).toBe(formatMoney(upToNow.times(percent).dividedBy(100)));
          }
          const whole = sumMoney(facts.map((f) => f.amount));
          expect(formatMoney(sumMoney(amounts))).toBe(formatMoney(whole.times(percent).dividedBy(100)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
