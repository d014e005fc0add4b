import type { EntityManager } from 'typeorm';
import { termsInForce } from '@app/dealer-directory';
import { addQuarters, monthsOfQuarter, quarterOfMonth } from '@app/kernel';
import type { LateFact } from '../engine/statement-input';
import { DealerCtx, FACT_TABLE_NAMES, FACT_TABLES, factQuery, FactTable, runKeyed } from './fact-rows';
import * as toInput from './fact-inputs';
import { SettledQuarter, settledQuarters } from './quarter-accruals';

const A = `unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS a(dealer, month, approved_at, as_of)`;
const lateWhere = (t: string, monthCol = 'month') =>
  `${t}.dealer_code = a.dealer AND ${t}.${monthCol} = a.month AND ${t}.received_at > a.approved_at AND ${t}.received_at <= a.as_of`;
const MONTH_ACCRUED = (c: string) =>
  `EXISTS (SELECT 1 FROM report_submissions r WHERE r.dealer_code = ${c}.dealer_code AND r.month = ${c}.report_month AND r.first_submitted_at <= a.approved_at) AS month_accrued`;

const FINDINGS = `SELECT f.dealer_code, f.serial, f.model, f.report_month AS month, f.result, f.audit_id, f.recorded_on::text AS recorded_on, f.received_at,
   EXISTS (SELECT 1 FROM card_facts c WHERE c.dealer_code = f.dealer_code AND c.serial = f.serial AND c.report_month = f.report_month
            AND c.received_at <= a.approved_at AND (c.withdrawn_at IS NULL OR c.withdrawn_at > a.approved_at)) AS card_counted,
   EXISTS (SELECT 1 FROM audit_findings e WHERE e.dealer_code = f.dealer_code AND e.serial = f.serial AND e.report_month = f.report_month
            AND e.result IN ('INCOMPLETE', 'FALSIFIED') AND (e.received_at <= a.approved_at OR (e.received_at < f.received_at)) AND e.audit_id <> f.audit_id) AS already_excluded,
   ${MONTH_ACCRUED('f')}
 FROM audit_findings f JOIN ${A} ON ${lateWhere('f', 'report_month')} WHERE f.result IN ('INCOMPLETE', 'FALSIFIED')`;

/**
 * One approved (dealer, month) at a time through card_facts' (dealer, month, received_at) and
 * withdrawn-card indexes: OFFSET 0 keeps each probe a subquery, which the planner would
 * otherwise flatten into a merge join over every card ever stored. report_month is char(7).
 */
const lateCards = (where: string) =>
  `${A} CROSS JOIN LATERAL (SELECT x.* FROM card_facts x
     WHERE x.dealer_code = a.dealer AND x.report_month = a.month::char(7) AND ${where} OFFSET 0) c`;

const CARDS_IN = `SELECT c.dealer_code, c.report_month AS month, c.model, c.batch_id, count(*)::int AS count, max(c.received_at) AS received_at,
   ${MONTH_ACCRUED('c')}
 FROM ${lateCards('x.received_at > a.approved_at AND x.received_at <= a.as_of AND (x.withdrawn_at IS NULL OR x.withdrawn_at > a.as_of)')}
 GROUP BY c.dealer_code, c.report_month, c.model, c.batch_id, a.approved_at`;

const CARDS_OUT = `SELECT c.dealer_code, c.report_month AS month, c.model, c.batch_id, count(*)::int AS count, max(c.withdrawn_at) AS received_at,
   ${MONTH_ACCRUED('c')}
 FROM ${lateCards('x.withdrawn_at > a.approved_at AND x.withdrawn_at <= a.as_of AND x.received_at <= a.approved_at')}
 GROUP BY c.dealer_code, c.report_month, c.model, c.batch_id, a.approved_at`;

const BREACHES = `SELECT DISTINCT x.id, x.dealer_code, x.reference, trim(x.quarter) AS quarter, x.received_at, a.approved_at FROM breaches x
 JOIN ${A} ON x.dealer_code = a.dealer AND trim(x.quarter) = substr(a.month, 1, 4) || '-Q' || ((substr(a.month, 6, 2)::int + 2) / 3)
  AND x.received_at > a.approved_at AND x.received_at <= a.as_of`;

const lateSelect = (name: FactTable) => {
  const t = FACT_TABLES[name];
  return `SELECT ${t.select}${'lateExtra' in t ? t.lateExtra : ''} FROM ${t.table} x JOIN ${A} ON ${lateWhere('x')}`;
};

/** The first quarter after `factQuarter` that was not yet approved when the fact arrived (R-SET-7). */
export function destinationOf(approved: ReadonlyMap<string, Date>, factQuarter: string, receivedAt: Date): string {
  let q = addQuarters(factQuarter, 1);
  for (;;) {
    const at = approved.get(q);
    if (!at || at.getTime() > receivedAt.getTime()) return q;
    q = addQuarters(q, 1);
  }
}

const quarterOfPeriod = (period: string) => (period.includes('Q') ? period : quarterOfMonth(period));

/** The months of each dealer's approved quarters before `quarter`, with their approval time and the dealer's asOf. */
function approvedMonths(ctx: DealerCtx[], quarter: string): string[][] {
  const a: string[][] = [[], [], [], []];
  for (const d of ctx) {
    for (const [q, at] of d.approved) {
      if (q >= quarter) continue;
      for (const m of monthsOfQuarter(q)) {
        a[0].push(d.code);
        a[1].push(m);
        a[2].push(at.toISOString());
        a[3].push(d.asOf.toISOString());
      }
    }
  }
  return a;
}

/**
 * R-SET-7: facts whose period lies in an approved quarter P before `quarter`, received after P's
 * approval, whose destination is this quarter: the first quarter after P not yet approved when
 * the fact arrived.
 */
export async function loadLateFacts(
  ctx: DealerCtx[],
  quarter: string,
  em: EntityManager,
): Promise<Map<string, LateFact[]>> {
  const p = approvedMonths(ctx, quarter);
  const out = new Map<string, LateFact[]>();
  if (p[0].length === 0) return out;
  // p has a row per approved month: one dealer's read may have several.
  const dealers = new Set(p[0]).size;
  const rows = await runKeyed(em, [
    ['findings', () => factQuery(em, 'late.findings', FINDINGS, p, dealers)],
    ['cardsIn', () => factQuery(em, 'late.cardsIn', CARDS_IN, p, dealers)],
    ['cardsOut', () => factQuery(em, 'late.cardsOut', CARDS_OUT, p, dealers)],
    ...FACT_TABLE_NAMES.map(
      (name) => [name, () => factQuery(em, `late.${name}`, lateSelect(name), p, dealers)] as const,
    ),
    ['breaches', () => factQuery(em, 'late.breaches', BREACHES, p, dealers)],
  ]);
  const byCode = new Map(ctx.map((d) => [d.code, d]));
  const termsAt = (code: string, month: string) => termsInForce(byCode.get(code)?.versions ?? [], month);
  const ours = lateFactsOf(rows, termsAt).filter(([code, receivedAt, f]) => {
    const d = byCode.get(code);
    return d !== undefined && destinationOf(d.approved, quarterOfPeriod(f.period), receivedAt) === quarter;
  });
  // What the approved quarters of these facts stand at before this statement (R-SET-5/6/7, DOMAIN §9).
  const settled = await settledQuarters(
    ours.filter(([, , f]) => needsSettled(f)).map(([code, , f]) => ({ code, quarter: quarterOfPeriod(f.period) })),
    byCode,
    quarter,
    em,
  );
  for (const [code, , f] of ours) {
    out.set(code, [...(out.get(code) ?? []), withSettled(f, settled.get(`${code}|${quarterOfPeriod(f.period)}`))]);
  }
  return out;
}

const needsSettled = (f: LateFact): boolean =>
  ['AUDIT_FINDING', 'BREACH', 'CARDS_ACCEPTED', 'CARDS_WITHDRAWN', 'COLLECTION', 'PURCHASE'].includes(f.kind);

/**
 * A late fact with what its quarter stands at: the accrual a cancellation reverses, whether the
 * accrual stands cancelled, and a percent month's base already settled.
 */
function withSettled(f: LateFact, s: SettledQuarter | undefined): LateFact {
  switch (f.kind) {
    case 'AUDIT_FINDING':
      return { ...f, quarterAccrual: s?.accrual };
    case 'BREACH':
      return { ...f, quarterAccrual: s?.accrual ?? '0.00' };
    case 'CARDS_ACCEPTED':
    case 'CARDS_WITHDRAWN':
      return { ...f, quarterCancelled: s?.cancelled ?? false };
    case 'COLLECTION':
    case 'PURCHASE':
      return { ...f, quarterCancelled: s?.cancelled ?? false, settledBase: s?.percentBases.get(f.period) ?? '0.00' };
    default:
      return f;
  }
}

type TermsAt = (code: string, month: string) => ReturnType<typeof termsInForce>;
type Found = [code: string, receivedAt: Date, fact: LateFact];

/** Every late fact found, in the order of its kind, with its dealer and when settlement received it. */
function lateFactsOf(rows: Record<string, any[]>, termsAt: TermsAt): Found[] {
  const found = (r: any, f: LateFact): Found => [r.dealer_code, r.received_at, f];
  const withTerms = (r: any) => {
    const v = termsAt(r.dealer_code, r.month);
    return { period: r.month as string, terms: v?.terms, agreementVersion: v?.version };
  };
  return [
    ...rows.findings.map((r) => found(r, auditFinding(r, withTerms(r)))),
    ...(['cardsIn', 'cardsOut'] as const).flatMap((key) =>
      rows[key].map((r) =>
        found(r, {
          kind: key === 'cardsIn' ? 'CARDS_ACCEPTED' : 'CARDS_WITHDRAWN',
          ...withTerms(r),
          monthAccrues: Boolean(r.month_accrued),
          model: r.model,
          count: r.count,
          factId: r.batch_id,
        }),
      ),
    ),
    ...rows.collections.map((r) =>
      found(r, {
        kind: 'COLLECTION',
        ...withTerms(r),
        fact: { id: r.id, reference: r.reference, valueDate: r.date, amount: r.amount },
      }),
    ),
    ...rows.purchases.map((r) =>
      found(r, {
        kind: 'PURCHASE',
        ...withTerms(r),
        fact: { id: r.id, reference: r.reference, invoiceDate: r.date, amount: r.amount },
      }),
    ),
    ...otherLateFacts(rows).map(([r, f]) => found(r, f)),
  ];
}

function auditFinding(r: any, t: { period: string; terms: any; agreementVersion: any }): LateFact {
  const perCard = t.terms?.allowanceBasis === 'PER_CARD';
  return {
    kind: 'AUDIT_FINDING',
    ...t,
    wasCounted: Boolean(r.card_counted && !r.already_excluded && (!perCard || r.month_accrued)),
    card: toInput.excludedCard(r),
  };
}

/** Late facts of the kinds that need no terms: parts, returns, complaints, violations, breaches. */
function otherLateFacts(rows: Record<string, any[]>): Array<[any, LateFact]> {
  const of = (key: string, f: (r: any) => LateFact) => rows[key].map((r): [any, LateFact] => [r, f(r)]);
  return [
    ...of('requisitionLines', (r) => ({ kind: 'REQUISITION_LINE', period: r.month, fact: toInput.requisitionLine(r) })),
    ...of('urgentFreight', (r) => ({ kind: 'URGENT_FREIGHT', period: r.month, fact: toInput.urgentFreight(r) })),
    ...of('oldParts', (r) => ({ kind: 'OLD_PARTS_INVOICE', period: r.month, fact: toInput.oldPartsInvoice(r) })),
    ...of('returnCharges', (r) => ({ kind: 'RETURN_CHARGE', period: r.month, fact: toInput.returnCharge(r) })),
    ...of('complaints', (r) => ({ kind: 'COMPLAINT', period: r.month, fact: toInput.penalty(r) })),
    ...of('violations', (r) => ({ kind: 'VIOLATION', period: r.month, fact: toInput.penalty(r) })),
    ...of('breaches', (r) => ({
      kind: 'BREACH',
      period: r.quarter,
      fact: { id: r.id, reference: r.reference, quarter: r.quarter },
      quarterAccrual: '0.00', // withSettled
    })),
  ];
}
