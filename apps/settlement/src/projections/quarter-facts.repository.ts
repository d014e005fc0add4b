import type { EntityManager } from 'typeorm';
import { monthsOfQuarter } from '@app/kernel';
import type { BreachInput, CardCountInput, CollectionInput, PurchaseInput } from '../engine/statement-input';
import { DealerCtx, FACT_TABLE_NAMES, FACT_TABLES, factQuery, groupBy, runKeyed } from './fact-rows';
import * as toInput from './fact-inputs';

const D = `unnest($1::text[], $2::timestamptz[]) AS d(code, as_of)`;

/**
 * Each dealer's rows through its (dealer_code, month) index. OFFSET 0 keeps the subquery from
 * being flattened into a join, for which the planner hashes the whole fact table per batch of
 * dealers (about 4× slower on 100,000 rows, and growing with the table, not the batch).
 */
const perDealer = (table: string, where: string) =>
  `${D} CROSS JOIN LATERAL (SELECT * FROM ${table} x WHERE x.dealer_code = d.code AND ${where} OFFSET 0) x`;
const IN_QUARTER = 'x.month = ANY($3) AND x.received_at <= d.as_of';

const CARDS = `SELECT c.dealer_code, c.report_month AS month, c.model, count(*)::int AS count FROM card_facts c JOIN ${D} ON c.dealer_code = d.code
   WHERE c.report_month = ANY($3) AND c.received_at <= d.as_of AND (c.withdrawn_at IS NULL OR c.withdrawn_at > d.as_of)
   GROUP BY c.dealer_code, c.report_month, c.model`;

/** R-AUD-2: the latest finding per card; INCOMPLETE / FALSIFIED cards stop counting (only cards that were counted). */
const EXCLUDED = `SELECT f.dealer_code, f.serial, f.model, f.report_month AS month, f.result, f.audit_id, f.recorded_on::text AS recorded_on FROM (
     SELECT DISTINCT ON (a.dealer_code, a.serial, a.report_month) a.*, d.as_of FROM audit_findings a JOIN ${D} ON a.dealer_code = d.code
     WHERE a.report_month = ANY($3) AND a.received_at <= d.as_of
     ORDER BY a.dealer_code, a.serial, a.report_month, a.recorded_on DESC, a.occurred_at DESC, a.audit_id DESC) f
   WHERE f.result IN ('INCOMPLETE', 'FALSIFIED')
     AND EXISTS (SELECT 1 FROM card_facts c WHERE c.dealer_code = f.dealer_code AND c.serial = f.serial AND c.report_month = f.report_month
                  AND c.received_at <= f.as_of AND (c.withdrawn_at IS NULL OR c.withdrawn_at > f.as_of))`;

const REPORTS = `SELECT x.dealer_code, x.month, x.first_submitted_at, x.on_time
   FROM ${perDealer('report_submissions', 'x.month = ANY($3) AND x.first_submitted_at IS NOT NULL AND x.first_submitted_at <= d.as_of')}`;

const BREACHES = `SELECT x.id, x.dealer_code, x.reference, trim(x.quarter) AS quarter FROM ${perDealer('breaches', 'x.quarter = $3 AND x.received_at <= d.as_of')}`;

export type QuarterFacts = Awaited<ReturnType<typeof loadQuarterFacts>>;

/** Facts whose own period lies in the quarter, received by each dealer's asOf (R-SET-10), one query per table. */
export async function loadQuarterFacts(ctx: DealerCtx[], quarter: string, em: EntityManager) {
  const codes = ctx.map((d) => d.code);
  const asOfs = ctx.map((d) => d.asOf.toISOString());
  const p = [codes, asOfs, monthsOfQuarter(quarter)];
  const rows = await runKeyed(em, [
    ['cards', () => factQuery(em, 'quarter.cards', CARDS, p)],
    ['excluded', () => factQuery(em, 'quarter.excluded', EXCLUDED, p)],
    [
      'reports',
      () =>
        factQuery(em, 'quarter.reports', REPORTS, [
          codes,
          ctx.map((d) => (d.reportsAsOf ?? d.asOf).toISOString()),
          p[2],
        ]),
    ],
    ...FACT_TABLE_NAMES.map(
      (name) =>
        [
          name,
          () =>
            factQuery(
              em,
              `quarter.${name}`,
              `SELECT ${FACT_TABLES[name].select} FROM ${perDealer(FACT_TABLES[name].table, IN_QUARTER)}`,
              p,
            ),
        ] as const,
    ),
    ['breaches', () => factQuery(em, 'quarter.breaches', BREACHES, [codes, asOfs, quarter])],
  ]);
  return { ...accrualFacts(rows), ...otherFacts(rows) };
}

/** What the accrual needs: counted cards, excluded cards, reports, collections, purchases and breaches. */
function accrualFacts(rows: Record<string, any[]>) {
  const excluded = rows.excluded;
  // Counted cards = accepted, not withdrawn, minus the excluded ones (R-AUD-2).
  const exclusions = new Map<string, number>();
  for (const r of excluded) {
    const key = `${r.dealer_code}|${r.month}|${r.model}`;
    exclusions.set(key, (exclusions.get(key) ?? 0) + 1);
  }
  const byDealer = (r: any) => r.dealer_code as string;
  return {
    cardCounts: groupBy(rows.cards, byDealer, (r): CardCountInput => ({
      month: r.month,
      model: r.model,
      count: Math.max(0, r.count - (exclusions.get(`${r.dealer_code}|${r.month}|${r.model}`) ?? 0)),
    })),
    excluded: groupBy(excluded, byDealer, toInput.excludedCard),
    reports: new Map(
      rows.reports.map((r) => [
        `${r.dealer_code}|${r.month}`,
        { firstSubmittedAt: (r.first_submitted_at as Date).toISOString(), onTime: r.on_time as boolean },
      ]),
    ),
    collections: groupBy(rows.collections, byDealer, (r): CollectionInput => ({
      id: r.id,
      reference: r.reference,
      valueDate: r.date,
      amount: r.amount,
    })),
    purchases: groupBy(rows.purchases, byDealer, (r): PurchaseInput => ({
      id: r.id,
      reference: r.reference,
      invoiceDate: r.date,
      amount: r.amount,
    })),
    breaches: groupBy(rows.breaches, byDealer, (r): BreachInput => ({
      id: r.id,
      reference: r.reference,
      quarter: r.quarter,
    })),
  };
}

/** Parts, returns, complaints and violations. */
function otherFacts(rows: Record<string, any[]>) {
  const byDealer = (r: any) => r.dealer_code as string;
  return {
    requisitionLines: groupBy(rows.requisitionLines, byDealer, toInput.requisitionLine),
    urgentFreight: groupBy(rows.urgentFreight, byDealer, toInput.urgentFreight),
    oldParts: groupBy(rows.oldParts, byDealer, toInput.oldPartsInvoice),
    returnCharges: groupBy(rows.returnCharges, byDealer, toInput.returnCharge),
    complaints: groupBy(rows.complaints, byDealer, toInput.penalty),
    violations: groupBy(rows.violations, byDealer, toInput.penalty),
  };
}
