import type { EntityManager } from 'typeorm';
import { termsInForce } from '@app/dealer-directory';
import { addQuarters } from '@app/kernel';
import type { YearContext } from '../engine/statement-input';
import { addMoney, DealerCtx, factQuery, groupBy, runAll } from './fact-rows';
import { accrualsOf } from './quarter-accruals';

const D = `unnest($1::text[], $2::timestamptz[]) AS d(code, as_of)`;
const REPORTS = `SELECT r.dealer_code, r.month, r.first_submitted_at, r.on_time, r.units_sold, r.surveyed, r.satisfied FROM report_submissions r JOIN ${D} ON r.dealer_code = d.code
 WHERE r.month = ANY($3) AND r.first_submitted_at IS NOT NULL AND r.received_at <= d.as_of`;
const COMPLAINTS = `SELECT x.dealer_code, count(*)::int AS count FROM complaint_facts x JOIN ${D} ON x.dealer_code = d.code
 WHERE x.month = ANY($3) AND x.received_at <= d.as_of GROUP BY x.dealer_code`;

/**
 * The prior quarters' part of "the year's allowance" (R-AWD-1, R-REP-4, DOMAIN §9): each quarter's
 * accrual net of every cancellation and accrual adjustment known by the Q4 statement's asOf — the
 * quarter recomputed from the facts received by then, with the reports of its own approval (a late
 * report does not make a withheld month accrue, R-REP-4).
 */
async function priorQuartersAllowance(
  ctx: DealerCtx[],
  quarter: string,
  em: EntityManager,
): Promise<Map<string, string>> {
  const prior = new Map<string, string>(ctx.map((d) => [d.code, '0.00']));
  for (let i = 3; i >= 1; i--) {
    const q = addQuarters(quarter, -i);
    const qctx = ctx.map((d) => ({
      ...d,
      reportsAsOf: d.approved.get(q) ?? d.asOf,
      approved: new Map([...d.approved].filter(([k]) => k < q)),
    }));
    for (const r of await accrualsOf(qctx, q, em)) prior.set(r.code, addMoney(prior.get(r.code)!, r.accrual));
  }
  return prior;
}

/** R-AWD-1 / R-REP-4 year context for a Q4 statement. */
export async function loadYearContexts(
  ctx: DealerCtx[],
  quarter: string,
  em: EntityManager,
): Promise<Map<string, YearContext>> {
  const year = quarter.slice(0, 4);
  const yearMonths = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const p = [ctx.map((d) => d.code), ctx.map((d) => d.asOf.toISOString()), yearMonths];
  const [reports, complaints] = await runAll(em, [
    () => factQuery(em, 'year.reports', REPORTS, p),
    () => factQuery(em, 'year.complaints', COMPLAINTS, p),
  ]);
  const prior = await priorQuartersAllowance(ctx, quarter, em);
  const reps = groupBy(
    reports as any[],
    (r) => r.dealer_code,
    (r) => r,
  );
  const comp = new Map((complaints as any[]).map((r) => [r.dealer_code as string, r.count as number]));
  const out = new Map<string, YearContext>();
  for (const d of ctx) {
    const byMonth = new Map((reps.get(d.code) ?? []).map((r) => [r.month as string, r]));
    const all = [...byMonth.values()];
    out.set(d.code, {
      priorQuartersAllowance: prior.get(d.code)!,
      monthsOfYear: yearMonths
        .filter((m) => termsInForce(d.versions, m))
        .map((m) => ({ month: m, submitted: byMonth.has(m), onTime: Boolean(byMonth.get(m)?.on_time) })),
      // bigint comes back from pg as text
      unitsSold: all.reduce((n, r) => n + Number(r.units_sold), 0),
      complaintsCount: comp.get(d.code) ?? 0,
      surveyed: all.reduce((n, r) => n + r.surveyed, 0),
      satisfied: all.reduce((n, r) => n + r.satisfied, 0),
    });
  }
  return out;
}
