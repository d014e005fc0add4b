import { createHash } from 'node:crypto';
import type { SettlementMode } from '@app/contracts';
import { addQuarters, dec, formatMoney, formatRate, sumMoney } from '@app/kernel';
import { canonicalJson } from '@app/kernel';
import type { StatementOutcome, StatementResult } from '../engine/statement-input';
import type { StatementLine } from '../engine/statement-line';
import {
  AmountNotAllowed,
  AmountRequired,
  DisputeWindowClosed,
  SameUserApproval,
  StatementNotApproved,
  StatementNotDraft,
  StatementNotPosted,
} from './statements.problems';

/** Pure rules of the statement lifecycle (R-SET-8), the dispute window (R-DSP-1), the ledger and opening chaining (R-SET-4). */

export const STATEMENT_STATUSES = ['DRAFT', 'APPROVED', 'POSTED'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/**
 * A line as it is stored and hashed: the engine's line with its position instead of its number,
 * every number in the scale of its column, so a stored line reads back identical.
 */
export interface CanonicalLine extends Omit<StatementLine<string>, 'lineNo' | 'affectsBalance'> {
  position: number;
  affectsBalance: boolean;
}

const fixed = (v: string | null | undefined, places: number): string | null =>
  v === null || v === undefined ? null : dec(v).toFixed(places);

export function canonicalLines(lines: readonly StatementLine[]): CanonicalLine[] {
  return lines.map((l, i) => ({
    position: l.lineNo ?? i + 1,
    ruleId: l.ruleId,
    kind: l.kind,
    period: l.period,
    description: l.description,
    quantity: l.quantity,
    rate: l.rate === null ? null : formatRate(l.rate),
    base: fixed(l.base, 2),
    percent: fixed(l.percent, 4),
    amount: formatMoney(l.amount),
    affectsBalance: l.affectsBalance !== false,
    // Key order is irrelevant: jsonb stores its own order and every hash or comparison uses canonicalJson.
    sources: l.sources ?? {},
  }));
}

export interface HashedContent {
  dealerCode: string;
  quarter: string;
  settlementMode: string;
  opening: string;
  closing: string;
  lines: readonly CanonicalLine[];
}

/** R-SET-9: SHA-256 of the canonical statement (sorted keys, fixed scales). */
export function contentHash(c: HashedContent): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        dealerCode: c.dealerCode,
        quarter: c.quarter,
        settlementMode: c.settlementMode,
        opening: formatMoney(c.opening),
        closing: formatMoney(c.closing),
        lines: c.lines,
      }),
    )
    .digest('hex');
}

/** R-SET-9: the content hash of a computed statement with its canonical lines. */
export function resultHash(r: StatementResult, lines: readonly CanonicalLine[] = canonicalLines(r.lines)): string {
  return contentHash({
    dealerCode: r.dealerCode,
    quarter: r.quarter,
    settlementMode: r.settlementMode,
    opening: r.openingBalance,
    closing: r.closing,
    lines,
  });
}

/** R-SET-8: a finance user other than the one whose run computed the draft approves it. */
export function assertMayApprove(statement: { status: StatementStatus; computedBy: string }, approver: string): void {
  if (statement.status !== 'DRAFT') throw new StatementNotDraft(statement.status);
  if (statement.computedBy === approver) throw new SameUserApproval();
}

/** R-SET-8: only an approved statement is posted. */
export function assertMayPost(statement: { status: StatementStatus }): void {
  if (statement.status !== 'APPROVED') throw new StatementNotApproved(statement.status);
}

/** R-SET-8: a run never recomputes an approved or posted statement. */
export function runMayRecompute(status: StatementStatus | undefined): boolean {
  return status === undefined || status === 'DRAFT';
}

/** The instant `months` calendar months after `from` (day clamped to the month's end), in UTC. */
export function addCalendarMonths(from: Date, months: number): Date {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const target = new Date(
    Date.UTC(y, m, 1, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return target;
}

/** R-DSP-1: the window closes `disputeMonths` months after posting. */
export function disputeDeadline(postedAt: Date, disputeMonths: number): Date {
  return addCalendarMonths(postedAt, disputeMonths);
}

export function assertMayDispute(
  statement: { status: StatementStatus; postedAt: Date | null },
  disputeMonths: number,
  now: Date,
): void {
  if (statement.status !== 'POSTED' || !statement.postedAt) throw new StatementNotPosted();
  const deadline = disputeDeadline(statement.postedAt, disputeMonths);
  if (now.getTime() >= deadline.getTime()) throw new DisputeWindowClosed(statement.postedAt, disputeMonths, deadline);
}

export type DisputeDecision = 'REJECTED' | 'ACCEPTED';

/** R-DSP-2: an accepted dispute carries a non-zero signed amount; a rejected one none. */
export function validateResolution(decision: DisputeDecision, amount: string | undefined): string | null {
  if (decision === 'REJECTED') {
    if (amount !== undefined) throw new AmountNotAllowed();
    return null;
  }
  if (amount === undefined) throw new AmountRequired(false);
  if (dec(amount).isZero()) throw new AmountRequired(true);
  return formatMoney(amount);
}

/**
 * R-SET-4 chaining: the opening of a quarter is the previous quarter's frozen (approved or posted)
 * nextOpening under FUND_CARRY_OVER; 0.00 under PAYOUT or when there is none.
 */
export function openingFor(
  mode: SettlementMode,
  previous: { status: StatementStatus; outcome: StatementOutcome } | undefined,
): string {
  if (mode === 'PAYOUT' || !previous || previous.status === 'DRAFT') return '0.00';
  return formatMoney(previous.outcome.nextOpening);
}

export function previousQuarter(quarter: string): string {
  return addQuarters(quarter, -1);
}

export interface LedgerLine {
  account: string;
  debit: string;
  credit: string;
  memo: string;
}

function counterAccount(line: CanonicalLine): string {
  if (line.kind.includes('PENALTY')) return 'penalty-income';
  if (
    line.kind.startsWith('PARTS') ||
    line.kind.startsWith('RETURN') ||
    line.ruleId.startsWith('R-PRT') ||
    line.ruleId.startsWith('R-RET')
  )
    return 'parts-recovery';
  return 'allowance-expense';
}

function pair(debitAccount: string, creditAccount: string, amount: string, memo: string): LedgerLine[] {
  const a = formatMoney(amount);
  return [
    { account: debitAccount, debit: a, credit: '0.00', memo },
    { account: creditAccount, debit: '0.00', credit: a, memo },
  ];
}

/**
 * Double-entry postings of a statement (R-SET-8): each balance line moves the dealer's fund
 * against its expense/income account; invoiced items are receivable; the outcome settles the fund
 * (deficit billed, PAYOUT surplus payable). Every pair balances, so Σdebit = Σcredit.
 */
export function ledgerLinesFor(s: {
  dealerCode: string;
  quarter: string;
  lines: readonly CanonicalLine[];
  outcome: StatementOutcome;
}): LedgerLine[] {
  const fund = `dealer-fund:${s.dealerCode}`;
  const out: LedgerLine[] = [];
  for (const line of s.lines) {
    const amount = dec(line.amount);
    if (amount.isZero()) continue;
    const memo = `${s.quarter} #${line.position} ${line.ruleId} ${line.kind} ${line.period}`;
    if (!line.affectsBalance) {
      out.push(
        ...pair(
          `receivable:${s.dealerCode}`,
          counterAccount(line) === 'allowance-expense' ? 'parts-recovery' : counterAccount(line),
          amount.abs().toFixed(2),
          memo,
        ),
      );
    } else if (amount.isPositive()) {
      out.push(...pair(counterAccount(line), fund, amount.toFixed(2), memo));
    } else {
      out.push(...pair(fund, counterAccount(line), amount.abs().toFixed(2), memo));
    }
  }
  if (!dec(s.outcome.billedToDealer).isZero()) {
    out.push(
      ...pair(
        `receivable:${s.dealerCode}`,
        fund,
        s.outcome.billedToDealer,
        `${s.quarter} deficit billed to the dealer (R-SET-4)`,
      ),
    );
  }
  if (!dec(s.outcome.payableToDealer).isZero()) {
    out.push(
      ...pair(
        fund,
        `payable:${s.dealerCode}`,
        s.outcome.payableToDealer,
        `${s.quarter} surplus payable to the dealer (R-SET-4)`,
      ),
    );
  }
  return out;
}

export function ledgerIsBalanced(entries: readonly LedgerLine[]): boolean {
  return sumMoney(entries.map((e) => e.debit)).equals(sumMoney(entries.map((e) => e.credit)));
}
