import type { EntityManager } from 'typeorm';
import { termsInForce } from '@app/dealer-directory';
import { monthsOfQuarter, reportDueAt } from '@app/kernel';
import { computeStatement } from '../engine/compute-statement';
import type { MonthInput, StatementInput, StatementResult } from '../engine/statement-input';
import type { DealerCtx } from './fact-rows';
import { loadQuarterFacts, QuarterFacts } from './quarter-facts.repository';

/**
 * The quarter's months with the terms in force (R-AGR-1) and the dealer's report of each; given
 * `now`, a month whose report due time has not passed by then is PENDING (DOMAIN §9).
 */
export function monthInputsOf(d: DealerCtx, quarter: string, facts: QuarterFacts, now?: Date): MonthInput[] {
  return monthsOfQuarter(quarter).map((month) => {
    const v = termsInForce(d.versions, month);
    const rep = facts.reports.get(`${d.code}|${month}`);
    const pending = Boolean(now && v && reportDueAt(month, v.terms.reportDueDay).getTime() > now.getTime());
    return {
      month,
      terms: v?.terms,
      agreementVersion: v?.version,
      reportFirstSubmittedAt: rep?.firstSubmittedAt ?? null,
      reportOnTime: rep?.onTime ?? false,
      ...(pending ? { pending } : {}),
    };
  });
}

/** The engine's input for one dealer's quarter from the loaded facts; late facts, disputes and year added by the caller. */
export function quarterInputOf(
  d: DealerCtx,
  quarter: string,
  facts: QuarterFacts,
  openingBalance: string,
  now?: Date,
): StatementInput {
  const months = monthInputsOf(d, quarter, facts, now);
  const of = <T>(m: Map<string, T[]>) => m.get(d.code) ?? [];
  return {
    dealerCode: d.code,
    quarter,
    openingBalance,
    settlementMode: [...months].reverse().find((m) => m.terms)!.terms!.settlementMode,
    months,
    cardCounts: of(facts.cardCounts),
    excludedCards: of(facts.excluded),
    collections: of(facts.collections),
    purchases: of(facts.purchases),
    requisitionLines: of(facts.requisitionLines),
    urgentFreight: of(facts.urgentFreight),
    oldPartsInvoiced: of(facts.oldParts),
    returnCharges: of(facts.returnCharges),
    complaints: of(facts.complaints),
    violations: of(facts.violations),
    breaches: of(facts.breaches),
    lateFacts: [],
    disputeResolutions: [],
    year: null,
  };
}

/** Each dealer's quarter computed for its allowance only (parts, returns and penalties left out). */
async function allowanceResults(
  ctx: DealerCtx[],
  quarter: string,
  em: EntityManager,
): Promise<Array<{ code: string; result: StatementResult }>> {
  const withTerms = ctx.filter((d) => monthsOfQuarter(quarter).some((m) => termsInForce(d.versions, m)));
  if (withTerms.length === 0) return [];
  const facts = await loadQuarterFacts(withTerms, quarter, em);
  return withTerms.map((d) => {
    const input = quarterInputOf(d, quarter, facts, '0.00');
    const result = computeStatement({
      ...input,
      requisitionLines: [],
      urgentFreight: [],
      oldPartsInvoiced: [],
      returnCharges: [],
      complaints: [],
      violations: [],
    });
    return { code: d.code, result };
  });
}

/** Allowance accrual after cancellations (ALLOWANCE_ACCRUAL + ACCRUAL_CANCELLED) of a quarter per dealer. */
export async function accrualsOf(
  ctx: DealerCtx[],
  quarter: string,
  em: EntityManager,
): Promise<Array<{ code: string; accrual: string }>> {
  return (await allowanceResults(ctx, quarter, em)).map((r) => ({ code: r.code, accrual: r.result.totals.accrual }));
}

/** What an approved quarter's allowance stands at in the statements approved so far (R-SET-7, DOMAIN §9). */
export interface SettledQuarter {
  /** Allowance accrual after cancellations. */
  accrual: string;
  /** Its accrual is cancelled (R-SET-5/6). */
  cancelled: boolean;
  /** The base of each percent-basis month (R-SET-3). */
  percentBases: Map<string, string>;
}

/**
 * When what was received about approved quarter `q` had been settled, seen from the statement of
 * `quarter`: the last approval among `q` and the quarters after it before `quarter` (facts received
 * later are late facts of `quarter` itself, R-SET-7), at most the dealer's asOf.
 */
function settledAt(d: DealerCtx, q: string, quarter: string): Date {
  const times = [...d.approved].filter(([k]) => k >= q && k < quarter).map(([, at]) => at.getTime());
  return new Date(Math.min(d.asOf.getTime(), Math.max(...times)));
}

/**
 * Approved quarters as settled before `quarter`: recomputed from the facts settlement had received
 * by `settledAt` (the approved statement and the adjustments already approved add up to that,
 * DOMAIN §9), with the reports as of the quarter's own approval (R-REP-4).
 */
export async function settledQuarters(
  list: Array<{ code: string; quarter: string }>,
  byCode: Map<string, DealerCtx>,
  quarter: string,
  em: EntityManager,
): Promise<Map<string, SettledQuarter>> {
  const out = new Map<string, SettledQuarter>();
  const byQuarter = new Map<string, Set<string>>();
  for (const { code, quarter: q } of list) byQuarter.set(q, (byQuarter.get(q) ?? new Set()).add(code));
  for (const [q, codes] of byQuarter) {
    const ctx = [...codes]
      .map((c) => byCode.get(c)!)
      .filter((d) => d.approved.has(q))
      .map((d) => ({
        ...d,
        asOf: settledAt(d, q, quarter),
        reportsAsOf: d.approved.get(q)!,
        approved: new Map([...d.approved].filter(([k]) => k < q)),
      }));
    for (const { code, result } of await allowanceResults(ctx, q, em)) {
      const percent = result.lines.filter((l) => l.kind === 'ALLOWANCE_ACCRUAL' && l.base !== null);
      out.set(`${code}|${q}`, {
        accrual: result.totals.accrual,
        cancelled: result.lines.some((l) => l.kind === 'ACCRUAL_CANCELLED'),
        percentBases: new Map(percent.map((l) => [l.period, l.base!])),
      });
    }
  }
  return out;
}
