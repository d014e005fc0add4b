import type { EntityManager } from 'typeorm';
import type { AgreementVersionFacts } from '@app/dealer-directory';
import { preparedQuery } from '@app/platform';

/** One dealer of a load: the facts it had received by `asOf`, its terms and its approved quarters. */
export interface DealerCtx {
  code: string;
  asOf: Date;
  versions: AgreementVersionFacts[];
  approved: Map<string, Date>;
  /** Reports submitted by then count (R-REP-4); default `asOf`. An approved quarter's months keep the reports of its approval. */
  reportsAsOf?: Date;
}

/**
 * The fact tables loaded the same way for the quarter and for late facts: the columns read
 * (`select`, as `x`; late facts also need `lateExtra`).
 */
export const FACT_TABLES = {
  collections: {
    table: 'collections',
    select: 'x.id, x.dealer_code, x.reference, x.value_date::text AS date, x.amount',
    lateExtra: ', x.month, x.received_at',
  },
  purchases: {
    table: 'purchases',
    select: 'x.id, x.dealer_code, x.reference, x.invoice_date::text AS date, x.amount',
    lateExtra: ', x.month, x.received_at',
  },
  requisitionLines: { table: 'requisition_line_facts', select: 'x.*, x.approved_on::text AS approved_on' },
  urgentFreight: { table: 'urgent_freight_facts', select: 'x.*, x.approved_on::text AS approved_on' },
  oldParts: { table: 'old_parts_invoice_facts', select: 'x.*, x.invoiced_on::text AS invoiced_on' },
  returnCharges: { table: 'return_charge_facts', select: 'x.*, x.closed_on::text AS closed_on' },
  complaints: { table: 'complaint_facts', select: 'x.*, x.date::text AS date' },
  violations: { table: 'violation_facts', select: 'x.*, x.date::text AS date' },
} as const;

export type FactTable = keyof typeof FACT_TABLES;
export const FACT_TABLE_NAMES = Object.keys(FACT_TABLES) as FactTable[];

export function groupBy<R, T>(rows: R[], keyOf: (r: R) => string, map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = out.get(k);
    if (list) list.push(map(r));
    else out.set(k, [map(r)]);
  }
  return out;
}

/**
 * A fact query. One dealer's read (a balance, a statement's recomputation) runs it as a prepared
 * statement, parsed once per connection instead of at every read. A run's batch of thousands of
 * dealers keeps it unnamed: planned with the batch's real size, which a plan cached for another
 * batch would not know.
 */
export function factQuery(
  em: EntityManager,
  name: string,
  text: string,
  params: unknown[],
  dealers = (params[0] as unknown[]).length,
): Promise<any[]> {
  if (dealers !== 1) return em.query(text, params);
  return preparedQuery<any>(em, `settlement.${name}`, text, params);
}

/**
 * Runs the queries: in parallel over the pool when `em` is not bound to a connection, one after
 * another when it is (a transaction's single connection runs one statement at a time anyway, and
 * node-postgres deprecates queueing them).
 */
export async function runAll(em: EntityManager, queries: ReadonlyArray<() => Promise<any>>): Promise<any[]> {
  if (!em.queryRunner) return Promise.all(queries.map((query) => query()));
  const results: any[] = [];
  for (const query of queries) results.push(await query());
  return results;
}

/** Runs one query per key, as `runAll` does, and answers the rows by key. */
export async function runKeyed<K extends string>(
  em: EntityManager,
  queries: ReadonlyArray<readonly [K, () => Promise<any>]>,
): Promise<Record<K, any[]>> {
  const results = await runAll(
    em,
    queries.map(([, q]) => q),
  );
  return Object.fromEntries(queries.map(([k], i) => [k, results[i]])) as Record<K, any[]>;
}

export function addMoney(a: string, b: string): string {
  // Both are two-place decimal strings; exact via integer cents.
  const cents = (s: string) => BigInt(s.replace('.', ''));
  const c = cents(a) + cents(b);
  const neg = c < 0n;
  const abs = (neg ? -c : c).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}
