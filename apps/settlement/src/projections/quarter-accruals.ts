import type { EntityManager } from 'typeorm';
import { termsInForce } from '@app/dealer-directory';
import { monthsOfQuarter } from '@app/kernel';
import { computeStatement } from '../engine/compute-statement';
import type { MonthInput, StatementInput } from '../engine/statement-input';
import type { DealerCtx } from './fact-rows';
import { loadQuarterFacts, QuarterFacts } from './quarter-facts.repository';

/** The quarter's months with the terms in force (R-AGR-1) and the dealer's report of each. */
export function monthInputsOf(d: DealerCtx, quarter: string, facts: QuarterFacts): MonthInput[] {
  return monthsOfQuarter(quarter).map((month) => {
    const v = termsInForce(d.versions, month);
    const rep = facts.reports.get(`${d.code}|${month}`);
    return {
      month,
      terms: v?.terms,
      agreementVersion: v?.version,
      reportFirstSubmittedAt: rep?.firstSubmittedAt ?? null,
      reportOnTime: rep?.onTime ?? false,
    };
  });
}

/** The engine's input for one dealer's quarter from the loaded facts; late facts, disputes and year added by the caller. */
export function quarterInputOf(
  d: DealerCtx,
  quarter: string,
  facts: QuarterFacts,
  openingBalance: string,
): StatementInput {
  const months = monthInputsOf(d, quarter, facts);
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

/** Allowance accrual after cancellations (ALLOWANCE_ACCRUAL + ACCRUAL_CANCELLED) of a quarter per dealer. */
export async function accrualsOf(
  ctx: DealerCtx[],
  quarter: string,
  em: EntityManager,
): Promise<Array<{ code: string; accrual: string }>> {
  const withTerms = ctx.filter((d) => monthsOfQuarter(quarter).some((m) => termsInForce(d.versions, m)));
  if (withTerms.length === 0) return [];
  const facts = await loadQuarterFacts(withTerms, quarter, em);
  return withTerms.map((d) => {
    const input = quarterInputOf(d, quarter, facts, '0.00');
    const r = computeStatement({
      ...input,
      requisitionLines: [],
      urgentFreight: [],
      oldPartsInvoiced: [],
      returnCharges: [],
      complaints: [],
      violations: [],
    });
    return { code: d.code, accrual: r.totals.accrual };
  });
}

/** The allowance accrual after cancellations of approved quarters, recomputed from the facts as of their approval. */
export async function approvedAccruals(
  list: Array<{ code: string; quarter: string }>,
  byCode: Map<string, DealerCtx>,
  em: EntityManager,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byQuarter = new Map<string, Set<string>>();
  for (const { code, quarter } of list) byQuarter.set(quarter, (byQuarter.get(quarter) ?? new Set()).add(code));
  for (const [q, codes] of byQuarter) {
    const ctx = [...codes]
      .map((c) => byCode.get(c)!)
      .filter((d) => d.approved.has(q))
      .map((d) => ({ ...d, asOf: d.approved.get(q)!, approved: new Map([...d.approved].filter(([k]) => k < q)) }));
    for (const r of await accrualsOf(ctx, q, em)) out.set(`${r.code}|${q}`, r.accrual);
  }
  return out;
}
