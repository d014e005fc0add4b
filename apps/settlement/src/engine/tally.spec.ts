import type { AgreementTerms } from '@app/contracts';
import { computeStatement } from './compute-statement';
import { tallyMonth } from './tally';
import type { StatementInput } from './statement-input';

const terms = {
  allowanceBasis: 'PER_CARD',
  unitRate: '15.00',
  modelRates: [],
  settlementMode: 'FUND_CARRY_OVER',
  fakeCardPolicy: 'PENALTY_MULTIPLE',
  fakeCardMultiple: 10,
} as unknown as AgreementTerms;
const m = (month: string, submitted: boolean) => ({
  month,
  terms,
  agreementVersion: 1,
  reportFirstSubmittedAt: submitted ? `${month}-28T00:00:00Z` : null,
  reportOnTime: submitted,
});

const input: StatementInput = {
  dealerCode: 'D001',
  quarter: '2026-Q1',
  openingBalance: '100.00',
  settlementMode: 'FUND_CARRY_OVER',
  months: [m('2026-01', true), m('2026-02', false), m('2026-03', false)],
  cardCounts: [
    { month: '2026-01', model: 'A', count: 10 },
    { month: '2026-02', model: 'A', count: 4 },
    { month: '2026-03', model: 'A', count: 100 },
  ],
  excludedCards: [],
  collections: [],
  purchases: [],
  requisitionLines: [
    {
      requisitionId: 'r',
      lineId: '1',
      approvedOn: '2026-02-10',
      partNo: 'P',
      quantity: 1,
      listPrice: '20.00',
      amount: '20.00',
      chargeTo: 'ALLOWANCE',
    },
  ],
  urgentFreight: [{ requisitionId: 'r', approvedOn: '2026-02-10', amount: '35.00' }],
  oldPartsInvoiced: [],
  returnCharges: [],
  complaints: [{ id: 'c', reference: 'C', date: '2026-03-02', amount: '1000.00' }],
  violations: [],
  breaches: [],
  lateFacts: [],
  disputeResolutions: [],
  year: null,
};

describe('monthly tally (R-SET-1)', () => {
  it("R-SET-1 the month's figures and the quarter-to-date balance leave out later months", () => {
    // Tallied by finance before February's report due time: February is PENDING and accrues provisionally.
    const early = { ...input, months: input.months.map((x) => (x.month >= '2026-02' ? { ...x, pending: true } : x)) };
    const feb = tallyMonth(early, '2026-02');
    expect(feb).toMatchObject({
      monthAccrual: '60.00',
      monthNet: '40.00',
      monthInvoiced: '35.00',
      quarterBalance: '290.00',
    });
    expect(feb.result.lines.some((l) => l.period === '2026-03')).toBe(false);
  });

  it('R-SET-1 §9.2 a month past its report due time without a submission is withheld in the tally (R-REP-4), not paid', () => {
    const mar = tallyMonth(input, '2026-03');
    expect(mar.result.lines.filter((l) => l.ruleId === 'R-REP-4').map((l) => [l.period, l.quantity, l.amount])).toEqual(
      [
        ['2026-02', 4, '0.00'],
        ['2026-03', 100, '0.00'],
      ],
    );
    expect(mar).toMatchObject({ monthAccrual: '0.00', monthNet: '-1000.00', quarterBalance: '-770.00' });
  });

  it('R-SET-1 §9.2 the tally matches the draft computed from the same facts at the same moment', () => {
    expect(tallyMonth(input, '2026-03').quarterBalance).toBe(computeStatement(input).closing);
  });

  it('R-SET-1 §9.2 a month not yet due (PENDING) still accrues provisionally; a late submission restores a withheld month', () => {
    const pending = {
      ...input,
      months: input.months.map((x) => (x.month === '2026-03' ? { ...x, pending: true } : x)),
    };
    expect(tallyMonth(pending, '2026-03')).toMatchObject({ monthAccrual: '1500.00', monthNet: '500.00' });
    const submitted = { ...input, months: input.months.map((x) => ({ ...m(x.month, true) })) };
    expect(tallyMonth(submitted, '2026-03').quarterBalance).toBe('790.00');
  });
});
