import { dec, formatMoney, sumMoney } from '@app/kernel';
import { DomainError } from '@app/platform';
import { accrualLine } from '../engine/statement-input.test-support';
import {
  addCalendarMonths,
  assertMayApprove,
  assertMayDispute,
  assertMayPost,
  canonicalLines,
  contentHash,
  disputeDeadline,
  ledgerIsBalanced,
  ledgerLinesFor,
  openingFor,
  runMayRecompute,
  validateResolution,
} from './statement-rules';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not-a-domain-error';
  }
}

const line = accrualLine;

const outcome = (
  o: Partial<{ carriedForward: string; billedToDealer: string; payableToDealer: string; nextOpening: string }> = {},
) => ({
  carriedForward: '0.00',
  billedToDealer: '0.00',
  payableToDealer: '0.00',
  nextOpening: '0.00',
  ...o,
});

describe('statement lifecycle rules', () => {
  it('R-SET-8 a finance user other than the one who ran it approves a DRAFT; the runner is refused', () => {
    expect(
      codeOf(() => assertMayApprove({ status: 'DRAFT', computedBy: 'finance-alice' }, 'finance-bob')),
    ).toBeUndefined();
    expect(codeOf(() => assertMayApprove({ status: 'DRAFT', computedBy: 'finance-alice' }, 'finance-alice'))).toBe(
      'SAME_USER_APPROVAL',
    );
  });

  it('R-SET-8 only a DRAFT is approved and only an APPROVED statement is posted', () => {
    expect(codeOf(() => assertMayApprove({ status: 'APPROVED', computedBy: 'a' }, 'b'))).toBe('STATEMENT_NOT_DRAFT');
    expect(codeOf(() => assertMayApprove({ status: 'POSTED', computedBy: 'a' }, 'b'))).toBe('STATEMENT_NOT_DRAFT');
    expect(codeOf(() => assertMayPost({ status: 'DRAFT' }))).toBe('STATEMENT_NOT_APPROVED');
    expect(codeOf(() => assertMayPost({ status: 'POSTED' }))).toBe('STATEMENT_NOT_APPROVED');
    expect(codeOf(() => assertMayPost({ status: 'APPROVED' }))).toBeUndefined();
  });

  it('R-SET-8 a run recomputes only drafts (and creates missing ones), never approved or posted statements', () => {
    expect(runMayRecompute(undefined)).toBe(true);
    expect(runMayRecompute('DRAFT')).toBe(true);
    expect(runMayRecompute('APPROVED')).toBe(false);
    expect(runMayRecompute('POSTED')).toBe(false);
  });

  it('R-DSP-1 a dispute is accepted until disputeMonths after posting and refused from then on', () => {
    const postedAt = new Date('2026-04-10T02:00:00.000Z');
    const posted = { status: 'POSTED' as const, postedAt };
    expect(disputeDeadline(postedAt, 3).toISOString()).toBe('2026-07-10T02:00:00.000Z');
    expect(codeOf(() => assertMayDispute(posted, 3, new Date('2026-07-10T01:59:59.999Z')))).toBeUndefined();
    expect(codeOf(() => assertMayDispute(posted, 3, new Date('2026-07-10T02:00:00.000Z')))).toBe(
      'DISPUTE_WINDOW_CLOSED',
    );
    expect(codeOf(() => assertMayDispute(posted, 0, postedAt))).toBe('DISPUTE_WINDOW_CLOSED');
    expect(codeOf(() => assertMayDispute({ status: 'APPROVED', postedAt: null }, 3, postedAt))).toBe(
      'STATEMENT_NOT_POSTED',
    );
  });

  it('R-DSP-1 the window clamps to the end of a shorter month', () => {
    expect(addCalendarMonths(new Date('2026-11-30T12:00:00Z'), 3).toISOString()).toBe('2027-02-28T12:00:00.000Z');
  });

  it('R-DSP-2 an accepted dispute needs a non-zero signed amount; a rejected one carries none', () => {
    expect(validateResolution('ACCEPTED', '-180.5')).toBe('-180.50');
    expect(codeOf(() => validateResolution('ACCEPTED', undefined))).toBe('AMOUNT_REQUIRED');
    expect(codeOf(() => validateResolution('ACCEPTED', '0.00'))).toBe('AMOUNT_REQUIRED');
    expect(validateResolution('REJECTED', undefined)).toBeNull();
    expect(codeOf(() => validateResolution('REJECTED', '10.00'))).toBe('AMOUNT_NOT_ALLOWED');
  });

  it('R-SET-4 the opening chains from the previous frozen statement under FUND_CARRY_OVER; PAYOUT and drafts open at 0', () => {
    const q1 = { status: 'POSTED' as const, outcome: outcome({ carriedForward: '3295.00', nextOpening: '3295.00' }) };
    expect(openingFor('FUND_CARRY_OVER', q1)).toBe('3295.00');
    const q2 = { status: 'POSTED' as const, outcome: outcome({ billedToDealer: '412.50', nextOpening: '0.00' }) };
    expect(openingFor('FUND_CARRY_OVER', q2)).toBe('0.00');
    expect(openingFor('FUND_CARRY_OVER', { ...q1, status: 'DRAFT' })).toBe('0.00');
    expect(openingFor('FUND_CARRY_OVER', undefined)).toBe('0.00');
    expect(openingFor('PAYOUT', q1)).toBe('0.00');
  });

  it('R-SET-8 ledger postings balance and leave the dealer fund at the next opening (deficit billed, surplus carried)', () => {
    const lines = canonicalLines([
      line({ amount: '1900.00' }),
      line({ ruleId: 'R-AUD-3', kind: 'FAKE_CARD_PENALTY', amount: '-300.00', quantity: 2, rate: '150.00' }),
      line({ ruleId: 'R-PRT-2', kind: 'PARTS_CHARGE', amount: '-2012.50', quantity: null, rate: null }),
      line({
        ruleId: 'R-PRT-3',
        kind: 'URGENT_FREIGHT_INVOICED',
        amount: '35.00',
        affectsBalance: false,
        quantity: null,
        rate: null,
      }),
    ]);
    const entries = ledgerLinesFor({
      dealerCode: 'D001',
      quarter: '2026-Q2',
      lines,
      outcome: outcome({ billedToDealer: '412.50' }),
    });
    expect(ledgerIsBalanced(entries)).toBe(true);
    const fund = entries.filter((e) => e.account === 'dealer-fund:D001');
    const fundBalance = sumMoney(fund.map((e) => dec(e.credit).minus(e.debit)));
    expect(formatMoney(fundBalance)).toBe('0.00');
    expect(entries).toEqual(
      expect.arrayContaining([
        { account: 'penalty-income', debit: '0.00', credit: '300.00', memo: expect.any(String) },
        { account: 'parts-recovery', debit: '0.00', credit: '2012.50', memo: expect.any(String) },
        { account: 'receivable:D001', debit: '35.00', credit: '0.00', memo: expect.any(String) },
        { account: 'receivable:D001', debit: '412.50', credit: '0.00', memo: expect.stringContaining('R-SET-4') },
      ]),
    );
    const payout = ledgerLinesFor({
      dealerCode: 'D002',
      quarter: '2026-Q1',
      lines: canonicalLines([line({})]),
      outcome: outcome({ payableToDealer: '1500.00' }),
    });
    expect(ledgerIsBalanced(payout)).toBe(true);
    expect(payout).toContainEqual({
      account: 'payable:D002',
      debit: '0.00',
      credit: '1500.00',
      memo: expect.any(String),
    });
  });

  it('R-SET-8 an unbalanced posting is detected', () => {
    expect(
      ledgerIsBalanced([
        { account: 'a', debit: '1.00', credit: '0.00', memo: '' },
        { account: 'b', debit: '0.00', credit: '0.99', memo: '' },
      ]),
    ).toBe(false);
  });

  it('R-SET-9 the content hash is stable under key order and number scale, and changes with any line', () => {
    const a = canonicalLines([line({ rate: '15', sources: { b: 1, a: 2 } })]);
    const b = canonicalLines([line({ rate: '15.0000', sources: { a: 2, b: 1 } })]);
    const content = {
      dealerCode: 'D001',
      quarter: '2026-Q1',
      settlementMode: 'FUND_CARRY_OVER',
      opening: '0',
      closing: '1500.00',
    };
    expect(contentHash({ ...content, lines: a })).toBe(contentHash({ ...content, lines: b }));
    const c = canonicalLines([line({ amount: '1500.01' })]);
    expect(contentHash({ ...content, lines: c })).not.toBe(contentHash({ ...content, lines: a }));
  });
});
