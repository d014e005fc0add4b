import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AgreementTerms } from '@app/contracts';
import { AgreementVersionFacts, termsInForce } from '@app/dealer-directory';
import { addQuarters, monthsOfQuarter, quarterOfMonth } from '@app/kernel';
import { computeStatement } from '../engine/compute-statement';
import type {
  BreachInput,
  CardCountInput,
  CollectionInput,
  ExcludedCardInput,
  LateFact,
  MonthInput,
  OldPartsInvoiceInput,
  PenaltyFactInput,
  PurchaseInput,
  RequisitionLineInput,
  ReturnChargeInput,
  StatementInput,
  UrgentFreightInput,
  YearContext,
} from '../engine/statement-input';

/**
 * The quarters of one dealer that are already APPROVED or POSTED (R-SET-7). Prefer a map
 * quarter → approvedAt; given only quarter names, approval times are read from the
 * `statements` table (dealer_code, quarter, approved_at).
 */
export type ApprovedQuarters = ReadonlyMap<string, Date> | Iterable<string>;

export interface StatementInputRequest {
  dealerCode: string;
  openingBalance: string;
  approvedQuarters: ApprovedQuarters;
}

export interface LoadOptions {
  /** Only facts settlement had received by then (verification of a frozen statement: its approval time). */
  asOf?: Date;
  /** Tally mode (R-SET-1): R-REP-4 is not applied yet. */
  provisional?: boolean;
}

interface DealerCtx {
  code: string;
  asOf: Date;
  versions: AgreementVersionFacts[];
  approved: Map<string, Date>;
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

/**
 * Loads everything the engine needs for one quarter from settlement's projections, for many
 * dealers at once, with set-based queries (one query per fact table, never one per dealer).
 * Each fact falls in the period of its own date (R-SET-10); facts of approved quarters that
 * arrived after the approval become late facts of the next open statement (R-SET-7).
 */
@Injectable()
export class FactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One dealer; throws when the dealer has no agreement in force in any month of the quarter. */
  async loadStatementInput(
    dealerCode: string,
    quarter: string,
    opts: { openingBalance: string; approvedQuarters: ApprovedQuarters } & LoadOptions,
    em: EntityManager = this.db.manager,
  ): Promise<StatementInput> {
    const [input] = await this.loadStatementInputs(
      [{ dealerCode, openingBalance: opts.openingBalance, approvedQuarters: opts.approvedQuarters }],
      quarter,
      opts,
      em,
    );
    if (!input) throw new Error(`Dealer ${dealerCode} has no agreement in force in ${quarter}.`);
    return input;
  }

  /**
   * Many dealers at once. Dealers without any agreement in force in the quarter are left out of
   * the answer. The answer is in the order of `requests`.
   */
  async loadStatementInputs(
    requests: StatementInputRequest[],
    quarter: string,
    opts: LoadOptions = {},
    em: EntityManager = this.db.manager,
  ): Promise<StatementInput[]> {
    if (requests.length === 0) return [];
    const codes = requests.map((r) => r.dealerCode);
    const versions = await this.agreementVersions(codes, em);
    const approved = await this.approvalTimes(requests, em);
    const asOf = opts.asOf ?? FAR_FUTURE;
    const ctx: DealerCtx[] = requests
      .map((r) => ({
        code: r.dealerCode,
        asOf,
        versions: versions.get(r.dealerCode) ?? [],
        approved: approved.get(r.dealerCode) ?? new Map<string, Date>(),
      }))
      .filter((d) => monthsOfQuarter(quarter).some((m) => termsInForce(d.versions, m)));
    if (ctx.length === 0) return [];
    const facts = await this.loadQuarterFacts(ctx, quarter, em);
    const late = await this.loadLateFacts(ctx, quarter, em);
    const year = quarter.endsWith('Q4')
      ? await this.loadYearContexts(ctx, quarter, em)
      : new Map<string, YearContext>();
    const opening = new Map(requests.map((r) => [r.dealerCode, r.openingBalance]));

    return ctx.map((d): StatementInput => {
      const months: MonthInput[] = monthsOfQuarter(quarter).map((month) => {
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
      const lastTerms = [...months].reverse().find((m) => m.terms)!.terms!;
      const of = <T>(m: Map<string, T[]>) => m.get(d.code) ?? [];
      return {
        dealerCode: d.code,
        quarter,
        openingBalance: opening.get(d.code) ?? '0.00',
        settlementMode: lastTerms.settlementMode,
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
        lateFacts: late.get(d.code) ?? [],
        disputeResolutions: [],
        year: year.get(d.code) ?? null,
        provisional: opts.provisional ?? false,
      };
    });
  }

  // -------------------------------------------------------------------------------------

  private async agreementVersions(codes: string[], em: EntityManager): Promise<Map<string, AgreementVersionFacts[]>> {
    const rows: Array<{ dealer_code: string; version: number; effective_from: string; terms: AgreementTerms }> =
      await em.query(
        `SELECT dealer_code, version, effective_from::text AS effective_from, terms FROM known_agreements
       WHERE dealer_code = ANY($1) ORDER BY dealer_code, effective_from, version`,
        [codes],
      );
    return groupBy(
      rows,
      (r) => r.dealer_code,
      (r) => ({ version: r.version, effectiveFrom: r.effective_from, terms: r.terms }),
    );
  }

  private async approvalTimes(
    requests: StatementInputRequest[],
    em: EntityManager,
  ): Promise<Map<string, Map<string, Date>>> {
    const out = new Map<string, Map<string, Date>>();
    const missing: Array<{ dealer: string; quarter: string }> = [];
    for (const r of requests) {
      const aq = r.approvedQuarters;
      if (aq instanceof Map) {
        out.set(r.dealerCode, new Map(aq));
      } else {
        out.set(r.dealerCode, new Map());
        for (const q of aq as Iterable<string>) missing.push({ dealer: r.dealerCode, quarter: q });
      }
    }
    if (missing.length > 0) {
      const [{ exists }] = await em.query(`SELECT to_regclass('statements') IS NOT NULL AS exists`);
      const rows: Array<{ dealer_code: string; quarter: string; approved_at: Date | null }> = exists
        ? await em.query(
            `SELECT s.dealer_code, trim(s.quarter) AS quarter, s.approved_at FROM statements s
           JOIN unnest($1::text[], $2::text[]) AS a(dealer, quarter) ON s.dealer_code = a.dealer AND trim(s.quarter) = a.quarter
           WHERE s.approved_at IS NOT NULL`,
            [missing.map((m) => m.dealer), missing.map((m) => m.quarter)],
          )
        : [];
      const found = new Map(rows.map((r) => [`${r.dealer_code}|${r.quarter}`, r.approved_at!]));
      // A quarter said to be approved without a known time: everything received so far was in it.
      for (const m of missing) out.get(m.dealer)!.set(m.quarter, found.get(`${m.dealer}|${m.quarter}`) ?? new Date());
    }
    return out;
  }

  /** Facts whose own period lies in the quarter, received by each dealer's asOf. */
  private async loadQuarterFacts(ctx: DealerCtx[], quarter: string, em: EntityManager) {
    const months = monthsOfQuarter(quarter);
    const codes = ctx.map((d) => d.code);
    const asOfs = ctx.map((d) => d.asOf.toISOString());
    const D = `unnest($1::text[], $2::timestamptz[]) AS d(code, as_of)`;
    // Each dealer's rows through its (dealer_code, month) index. OFFSET 0 keeps the subquery from
    // being flattened into a join, for which the planner hashes the whole fact table per batch of
    // dealers (about 4× slower on 100,000 rows, and growing with the table, not the batch).
    const perDealer = (table: string, where: string) =>
      `${D} CROSS JOIN LATERAL (SELECT * FROM ${table} x WHERE x.dealer_code = d.code AND ${where} OFFSET 0) x`;
    const inQuarter = 'x.month = ANY($3) AND x.received_at <= d.as_of';
    const p = [codes, asOfs, months];

    const [
      cards,
      excluded,
      reports,
      collections,
      purchases,
      reqLines,
      urgent,
      oldParts,
      returns,
      complaints,
      violations,
      breaches,
    ] = await runAll(em, [
      () =>
        em.query(
          `SELECT c.dealer_code, c.report_month AS month, c.model, count(*)::int AS count FROM card_facts c JOIN ${D} ON c.dealer_code = d.code
         WHERE c.report_month = ANY($3) AND c.received_at <= d.as_of AND (c.withdrawn_at IS NULL OR c.withdrawn_at > d.as_of)
         GROUP BY c.dealer_code, c.report_month, c.model`,
          p,
        ),
      // R-AUD-2: the latest finding per card; INCOMPLETE / FALSIFIED cards stop counting (only cards that were counted).
      () =>
        em.query(
          `SELECT f.dealer_code, f.serial, f.model, f.report_month AS month, f.result, f.audit_id, f.recorded_on::text AS recorded_on FROM (
           SELECT DISTINCT ON (a.dealer_code, a.serial, a.report_month) a.*, d.as_of FROM audit_findings a JOIN ${D} ON a.dealer_code = d.code
           WHERE a.report_month = ANY($3) AND a.received_at <= d.as_of
           ORDER BY a.dealer_code, a.serial, a.report_month, a.recorded_on DESC, a.occurred_at DESC, a.audit_id DESC) f
         WHERE f.result IN ('INCOMPLETE', 'FALSIFIED')
           AND EXISTS (SELECT 1 FROM card_facts c WHERE c.dealer_code = f.dealer_code AND c.serial = f.serial AND c.report_month = f.report_month
                        AND c.received_at <= f.as_of AND (c.withdrawn_at IS NULL OR c.withdrawn_at > f.as_of))`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.dealer_code, x.month, x.first_submitted_at, x.on_time
         FROM ${perDealer('report_submissions', 'x.month = ANY($3) AND x.first_submitted_at IS NOT NULL AND x.first_submitted_at <= d.as_of')}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.id, x.dealer_code, x.reference, x.value_date::text AS date, x.amount FROM ${perDealer('collections', inQuarter)}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.id, x.dealer_code, x.reference, x.invoice_date::text AS date, x.amount FROM ${perDealer('purchases', inQuarter)}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.*, x.approved_on::text AS approved_on FROM ${perDealer('requisition_line_facts', inQuarter)}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.*, x.approved_on::text AS approved_on FROM ${perDealer('urgent_freight_facts', inQuarter)}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.*, x.invoiced_on::text AS invoiced_on FROM ${perDealer('old_parts_invoice_facts', inQuarter)}`,
          p,
        ),
      () =>
        em.query(`SELECT x.*, x.closed_on::text AS closed_on FROM ${perDealer('return_charge_facts', inQuarter)}`, p),
      () => em.query(`SELECT x.*, x.date::text AS date FROM ${perDealer('complaint_facts', inQuarter)}`, p),
      () => em.query(`SELECT x.*, x.date::text AS date FROM ${perDealer('violation_facts', inQuarter)}`, p),
      () =>
        em.query(
          `SELECT x.id, x.dealer_code, x.reference, trim(x.quarter) AS quarter FROM ${perDealer('breaches', 'x.quarter = $3 AND x.received_at <= d.as_of')}`,
          [codes, asOfs, quarter],
        ),
    ]);

    const excludedCards = groupBy(
      excluded as any[],
      (r) => r.dealer_code,
      (r): ExcludedCardInput => ({
        serial: r.serial,
        model: r.model,
        month: r.month,
        result: r.result,
        auditId: r.audit_id,
        recordedOn: r.recorded_on,
      }),
    );
    // Counted cards = accepted, not withdrawn, minus the excluded ones (R-AUD-2).
    const exclusions = new Map<string, number>();
    for (const r of excluded as any[])
      exclusions.set(
        `${r.dealer_code}|${r.month}|${r.model}`,
        (exclusions.get(`${r.dealer_code}|${r.month}|${r.model}`) ?? 0) + 1,
      );
    const cardCounts = groupBy(
      cards as any[],
      (r) => r.dealer_code,
      (r): CardCountInput => ({
        month: r.month,
        model: r.model,
        count: Math.max(0, r.count - (exclusions.get(`${r.dealer_code}|${r.month}|${r.model}`) ?? 0)),
      }),
    );
    return {
      cardCounts,
      excluded: excludedCards,
      reports: new Map(
        (reports as any[]).map((r) => [
          `${r.dealer_code}|${r.month}`,
          { firstSubmittedAt: (r.first_submitted_at as Date).toISOString(), onTime: r.on_time as boolean },
        ]),
      ),
      collections: groupBy(
        collections as any[],
        (r) => r.dealer_code,
        (r): CollectionInput => ({ id: r.id, reference: r.reference, valueDate: r.date, amount: r.amount }),
      ),
      purchases: groupBy(
        purchases as any[],
        (r) => r.dealer_code,
        (r): PurchaseInput => ({ id: r.id, reference: r.reference, invoiceDate: r.date, amount: r.amount }),
      ),
      requisitionLines: groupBy(reqLines as any[], (r) => r.dealer_code, toRequisitionLine),
      urgentFreight: groupBy(urgent as any[], (r) => r.dealer_code, toUrgent),
      oldParts: groupBy(oldParts as any[], (r) => r.dealer_code, toOldParts),
      returnCharges: groupBy(returns as any[], (r) => r.dealer_code, toReturnCharge),
      complaints: groupBy(complaints as any[], (r) => r.dealer_code, toPenalty),
      violations: groupBy(violations as any[], (r) => r.dealer_code, toPenalty),
      breaches: groupBy(
        breaches as any[],
        (r) => r.dealer_code,
        (r): BreachInput => ({ id: r.id, reference: r.reference, quarter: r.quarter }),
      ),
    };
  }

  /**
   * R-SET-7: facts whose period lies in an approved quarter P before `quarter`, received after P's
   * approval, whose destination is this quarter: the first quarter after P not yet approved when
   * the fact arrived.
   */
  private async loadLateFacts(ctx: DealerCtx[], quarter: string, em: EntityManager): Promise<Map<string, LateFact[]>> {
    const a: { dealer: string[]; month: string[]; approvedAt: string[]; asOf: string[] } = {
      dealer: [],
      month: [],
      approvedAt: [],
      asOf: [],
    };
    for (const d of ctx) {
      for (const [q, at] of d.approved) {
        if (q >= quarter) continue;
        for (const m of monthsOfQuarter(q)) {
          a.dealer.push(d.code);
          a.month.push(m);
          a.approvedAt.push(at.toISOString());
          a.asOf.push(d.asOf.toISOString());
        }
      }
    }
    const out = new Map<string, LateFact[]>();
    if (a.dealer.length === 0) return out;
    const byCode = new Map(ctx.map((d) => [d.code, d]));
    const A = `unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS a(dealer, month, approved_at, as_of)`;
    const p = [a.dealer, a.month, a.approvedAt, a.asOf];
    const lateWhere = (t: string, monthCol = 'month') =>
      `${t}.dealer_code = a.dealer AND ${t}.${monthCol} = a.month AND ${t}.received_at > a.approved_at AND ${t}.received_at <= a.as_of`;

    const [
      findings,
      cardsIn,
      cardsOut,
      collections,
      purchases,
      reqLines,
      urgent,
      oldParts,
      returns,
      complaints,
      violations,
      breaches,
    ] = await runAll(em, [
      () =>
        em.query(
          `SELECT f.dealer_code, f.serial, f.model, f.report_month AS month, f.result, f.audit_id, f.recorded_on::text AS recorded_on, f.received_at,
           EXISTS (SELECT 1 FROM card_facts c WHERE c.dealer_code = f.dealer_code AND c.serial = f.serial AND c.report_month = f.report_month
                    AND c.received_at <= a.approved_at AND (c.withdrawn_at IS NULL OR c.withdrawn_at > a.approved_at)) AS card_counted,
           EXISTS (SELECT 1 FROM audit_findings e WHERE e.dealer_code = f.dealer_code AND e.serial = f.serial AND e.report_month = f.report_month
                    AND e.result IN ('INCOMPLETE', 'FALSIFIED') AND (e.received_at <= a.approved_at OR (e.received_at < f.received_at)) AND e.audit_id <> f.audit_id) AS already_excluded,
           EXISTS (SELECT 1 FROM report_submissions r WHERE r.dealer_code = f.dealer_code AND r.month = f.report_month AND r.first_submitted_at <= a.approved_at) AS month_accrued
         FROM audit_findings f JOIN ${A} ON ${lateWhere('f', 'report_month')} WHERE f.result IN ('INCOMPLETE', 'FALSIFIED')`,
          p,
        ),
      () =>
        em.query(
          `SELECT c.dealer_code, c.report_month AS month, c.model, c.batch_id, count(*)::int AS count, max(c.received_at) AS received_at,
           EXISTS (SELECT 1 FROM report_submissions r WHERE r.dealer_code = c.dealer_code AND r.month = c.report_month AND r.first_submitted_at <= a.approved_at) AS month_accrued
         FROM card_facts c JOIN ${A} ON ${lateWhere('c', 'report_month')}
         WHERE (c.withdrawn_at IS NULL OR c.withdrawn_at > a.as_of) GROUP BY c.dealer_code, c.report_month, c.model, c.batch_id, a.approved_at`,
          p,
        ),
      () =>
        em.query(
          `SELECT c.dealer_code, c.report_month AS month, c.model, c.batch_id, count(*)::int AS count, max(c.withdrawn_at) AS received_at,
           EXISTS (SELECT 1 FROM report_submissions r WHERE r.dealer_code = c.dealer_code AND r.month = c.report_month AND r.first_submitted_at <= a.approved_at) AS month_accrued
         FROM card_facts c JOIN ${A} ON c.dealer_code = a.dealer AND c.report_month = a.month
         WHERE c.received_at <= a.approved_at AND c.withdrawn_at > a.approved_at AND c.withdrawn_at <= a.as_of
         GROUP BY c.dealer_code, c.report_month, c.model, c.batch_id, a.approved_at`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.id, x.dealer_code, x.month, x.reference, x.value_date::text AS date, x.amount, x.received_at FROM collections x JOIN ${A} ON ${lateWhere('x')}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.id, x.dealer_code, x.month, x.reference, x.invoice_date::text AS date, x.amount, x.received_at FROM purchases x JOIN ${A} ON ${lateWhere('x')}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.*, x.approved_on::text AS approved_on FROM requisition_line_facts x JOIN ${A} ON ${lateWhere('x')}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.*, x.approved_on::text AS approved_on FROM urgent_freight_facts x JOIN ${A} ON ${lateWhere('x')}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.*, x.invoiced_on::text AS invoiced_on FROM old_parts_invoice_facts x JOIN ${A} ON ${lateWhere('x')}`,
          p,
        ),
      () =>
        em.query(
          `SELECT x.*, x.closed_on::text AS closed_on FROM return_charge_facts x JOIN ${A} ON ${lateWhere('x')}`,
          p,
        ),
      () => em.query(`SELECT x.*, x.date::text AS date FROM complaint_facts x JOIN ${A} ON ${lateWhere('x')}`, p),
      () => em.query(`SELECT x.*, x.date::text AS date FROM violation_facts x JOIN ${A} ON ${lateWhere('x')}`, p),
      () =>
        em.query(
          `SELECT DISTINCT x.id, x.dealer_code, x.reference, trim(x.quarter) AS quarter, x.received_at, a.approved_at FROM breaches x
         JOIN ${A} ON x.dealer_code = a.dealer AND trim(x.quarter) = substr(a.month, 1, 4) || '-Q' || ((substr(a.month, 6, 2)::int + 2) / 3)
          AND x.received_at > a.approved_at AND x.received_at <= a.as_of`,
          p,
        ),
    ]);

    const push = (code: string, receivedAt: Date, period: string, f: LateFact) => {
      const d = byCode.get(code);
      if (!d || destinationOf(d.approved, quarterOfPeriod(period), receivedAt) !== quarter) return;
      out.set(code, [...(out.get(code) ?? []), f]);
    };
    const termsAt = (code: string, month: string) => termsInForce(byCode.get(code)?.versions ?? [], month);

    // Quarters whose accrual a late CANCEL_QUARTER finding or breach reverses: their accrual as approved.
    const toCancel: Array<{ code: string; quarter: string }> = [];
    for (const r of breaches as any[]) toCancel.push({ code: r.dealer_code, quarter: r.quarter });
    for (const r of findings as any[])
      if (r.result === 'FALSIFIED' && termsAt(r.dealer_code, r.month)?.terms.fakeCardPolicy === 'CANCEL_QUARTER')
        toCancel.push({ code: r.dealer_code, quarter: quarterOfMonth(r.month) });
    const approvedAccrual = await this.approvedAccruals(toCancel, byCode, em);

    for (const r of findings as any[]) {
      const v = termsAt(r.dealer_code, r.month);
      const perCard = v?.terms.allowanceBasis === 'PER_CARD';
      push(r.dealer_code, r.received_at, r.month, {
        kind: 'AUDIT_FINDING',
        period: r.month,
        terms: v?.terms,
        agreementVersion: v?.version,
        wasCounted: Boolean(r.card_counted && !r.already_excluded && (!perCard || r.month_accrued)),
        quarterAccrual: approvedAccrual.get(`${r.dealer_code}|${quarterOfMonth(r.month)}`),
        card: {
          serial: r.serial,
          model: r.model,
          month: r.month,
          result: r.result,
          auditId: r.audit_id,
          recordedOn: r.recorded_on,
        },
      });
    }
    for (const [rows, kind] of [
      [cardsIn, 'CARDS_ACCEPTED'],
      [cardsOut, 'CARDS_WITHDRAWN'],
    ] as const) {
      for (const r of rows as any[]) {
        const v = termsAt(r.dealer_code, r.month);
        push(r.dealer_code, r.received_at, r.month, {
          kind,
          period: r.month,
          terms: v?.terms,
          agreementVersion: v?.version,
          monthAccrues: Boolean(r.month_accrued),
          model: r.model,
          count: r.count,
          factId: r.batch_id,
        });
      }
    }
    for (const r of collections as any[]) {
      const v = termsAt(r.dealer_code, r.month);
      push(r.dealer_code, r.received_at, r.month, {
        kind: 'COLLECTION',
        period: r.month,
        terms: v?.terms,
        agreementVersion: v?.version,
        fact: { id: r.id, reference: r.reference, valueDate: r.date, amount: r.amount },
      });
    }
    for (const r of purchases as any[]) {
      const v = termsAt(r.dealer_code, r.month);
      push(r.dealer_code, r.received_at, r.month, {
        kind: 'PURCHASE',
        period: r.month,
        terms: v?.terms,
        agreementVersion: v?.version,
        fact: { id: r.id, reference: r.reference, invoiceDate: r.date, amount: r.amount },
      });
    }
    for (const r of reqLines as any[])
      push(r.dealer_code, r.received_at, r.month, {
        kind: 'REQUISITION_LINE',
        period: r.month,
        fact: toRequisitionLine(r),
      });
    for (const r of urgent as any[])
      push(r.dealer_code, r.received_at, r.month, { kind: 'URGENT_FREIGHT', period: r.month, fact: toUrgent(r) });
    for (const r of oldParts as any[])
      push(r.dealer_code, r.received_at, r.month, { kind: 'OLD_PARTS_INVOICE', period: r.month, fact: toOldParts(r) });
    for (const r of returns as any[])
      push(r.dealer_code, r.received_at, r.month, { kind: 'RETURN_CHARGE', period: r.month, fact: toReturnCharge(r) });
    for (const r of complaints as any[])
      push(r.dealer_code, r.received_at, r.month, { kind: 'COMPLAINT', period: r.month, fact: toPenalty(r) });
    for (const r of violations as any[])
      push(r.dealer_code, r.received_at, r.month, { kind: 'VIOLATION', period: r.month, fact: toPenalty(r) });
    for (const r of breaches as any[])
      push(r.dealer_code, r.received_at, r.quarter, {
        kind: 'BREACH',
        period: r.quarter,
        fact: { id: r.id, reference: r.reference, quarter: r.quarter },
        quarterAccrual: approvedAccrual.get(`${r.dealer_code}|${r.quarter}`) ?? '0.00',
      });
    return out;
  }

  /** The allowance accrual after cancellations of approved quarters, recomputed from the facts as of their approval. */
  private async approvedAccruals(
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
      for (const r of await this.accrualsOf(ctx, q, em)) out.set(`${r.code}|${q}`, r.accrual);
    }
    return out;
  }

  /** Allowance accrual after cancellations (ALLOWANCE_ACCRUAL + ACCRUAL_CANCELLED) of a quarter per dealer. */
  private async accrualsOf(
    ctx: DealerCtx[],
    quarter: string,
    em: EntityManager,
  ): Promise<Array<{ code: string; accrual: string }>> {
    const withTerms = ctx.filter((d) => monthsOfQuarter(quarter).some((m) => termsInForce(d.versions, m)));
    if (withTerms.length === 0) return [];
    const facts = await this.loadQuarterFacts(withTerms, quarter, em);
    return withTerms.map((d) => {
      const months = monthsOfQuarter(quarter).map((month): MonthInput => {
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
      const of = <T>(m: Map<string, T[]>) => m.get(d.code) ?? [];
      const r = computeStatement({
        dealerCode: d.code,
        quarter,
        openingBalance: '0.00',
        settlementMode: [...months].reverse().find((m) => m.terms)!.terms!.settlementMode,
        months,
        cardCounts: of(facts.cardCounts),
        excludedCards: of(facts.excluded),
        collections: of(facts.collections),
        purchases: of(facts.purchases),
        requisitionLines: [],
        urgentFreight: [],
        oldPartsInvoiced: [],
        returnCharges: [],
        complaints: [],
        violations: [],
        breaches: of(facts.breaches),
        lateFacts: [],
        disputeResolutions: [],
        year: null,
      });
      return { code: d.code, accrual: r.totals.accrual };
    });
  }

  /** R-AWD-1 / R-REP-4 year context for a Q4 statement. */
  private async loadYearContexts(
    ctx: DealerCtx[],
    quarter: string,
    em: EntityManager,
  ): Promise<Map<string, YearContext>> {
    const year = quarter.slice(0, 4);
    const yearMonths = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
    const codes = ctx.map((d) => d.code);
    const asOfs = ctx.map((d) => d.asOf.toISOString());
    const D = `unnest($1::text[], $2::timestamptz[]) AS d(code, as_of)`;
    const [reports, complaints] = await runAll(em, [
      () =>
        em.query(
          `SELECT r.dealer_code, r.month, r.first_submitted_at, r.on_time, r.units_sold, r.surveyed, r.satisfied FROM report_submissions r JOIN ${D} ON r.dealer_code = d.code
         WHERE r.month = ANY($3) AND r.first_submitted_at IS NOT NULL AND r.received_at <= d.as_of`,
          [codes, asOfs, yearMonths],
        ),
      () =>
        em.query(
          `SELECT x.dealer_code, count(*)::int AS count FROM complaint_facts x JOIN ${D} ON x.dealer_code = d.code
         WHERE x.month = ANY($3) AND x.received_at <= d.as_of GROUP BY x.dealer_code`,
          [codes, asOfs, yearMonths],
        ),
    ]);
    // The prior quarters' allowance after cancellations, each as of its approval (or now if not approved).
    const prior = new Map<string, string>(codes.map((c) => [c, '0.00']));
    for (let i = 3; i >= 1; i--) {
      const q = addQuarters(quarter, -i);
      const qctx = ctx.map((d) => ({
        ...d,
        asOf: d.approved.get(q) ?? d.asOf,
        approved: new Map([...d.approved].filter(([k]) => k < q)),
      }));
      for (const r of await this.accrualsOf(qctx, q, em)) prior.set(r.code, addMoney(prior.get(r.code)!, r.accrual));
    }
    const reps = groupBy(
      reports as any[],
      (r) => r.dealer_code,
      (r) => r,
    );
    const comp = new Map((complaints as any[]).map((r) => [r.dealer_code as string, r.count as number]));
    const out = new Map<string, YearContext>();
    for (const d of ctx) {
      const byMonth = new Map((reps.get(d.code) ?? []).map((r) => [r.month as string, r]));
      const months = yearMonths.filter((m) => termsInForce(d.versions, m));
      const all = [...byMonth.values()];
      out.set(d.code, {
        priorQuartersAllowance: prior.get(d.code)!,
        monthsOfYear: months.map((m) => ({
          month: m,
          submitted: byMonth.has(m),
          onTime: Boolean(byMonth.get(m)?.on_time),
        })),
        // bigint comes back from pg as text
        unitsSold: all.reduce((n, r) => n + Number(r.units_sold), 0),
        complaintsCount: comp.get(d.code) ?? 0,
        surveyed: all.reduce((n, r) => n + r.surveyed, 0),
        satisfied: all.reduce((n, r) => n + r.satisfied, 0),
      });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------

function addMoney(a: string, b: string): string {
  // Both are two-place decimal strings; exact via integer cents.
  const cents = (s: string) => BigInt(s.replace('.', ''));
  const c = cents(a) + cents(b);
  const neg = c < 0n;
  const abs = (neg ? -c : c).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

function quarterOfPeriod(period: string): string {
  return period.includes('Q') ? period : quarterOfMonth(period);
}

/** The first quarter after `factQuarter` that was not yet approved when the fact arrived (R-SET-7). */
export function destinationOf(approved: ReadonlyMap<string, Date>, factQuarter: string, receivedAt: Date): string {
  let q = addQuarters(factQuarter, 1);
  for (;;) {
    const at = approved.get(q);
    if (!at || at.getTime() > receivedAt.getTime()) return q;
    q = addQuarters(q, 1);
  }
}

function groupBy<R, T>(rows: R[], keyOf: (r: R) => string, map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = out.get(k);
    if (list) list.push(map(r));
    else out.set(k, [map(r)]);
  }
  return out;
}

const toRequisitionLine = (r: any): RequisitionLineInput => ({
  requisitionId: r.requisition_id,
  lineId: r.line_id,
  approvedOn: r.approved_on,
  partNo: r.part_no,
  partName: r.part_name,
  purpose: r.purpose,
  quantity: r.quantity,
  listPrice: r.list_price,
  amount: r.amount,
  chargeTo: r.charge_to,
});
const toUrgent = (r: any): UrgentFreightInput => ({
  requisitionId: r.requisition_id,
  approvedOn: r.approved_on,
  amount: r.amount,
});
const toOldParts = (r: any): OldPartsInvoiceInput => ({
  requisitionId: r.requisition_id,
  lineId: r.line_id,
  partNo: r.part_no,
  quantity: r.quantity,
  costPrice: r.cost_price,
  invoicedOn: r.invoiced_on,
  amount: r.amount,
});
const toReturnCharge = (r: any): ReturnChargeInput => ({
  returnId: r.return_id,
  closedOn: r.closed_on,
  returnClass: r.return_class,
  ruleId: r.rule_id,
  kind: r.kind,
  payer: r.payer,
  amount: r.amount,
  detail: r.detail,
});
const toPenalty = (r: any): PenaltyFactInput => ({
  id: r.id,
  reference: r.reference,
  date: r.date,
  amount: r.amount,
  ...(r.kind ? { kind: r.kind } : {}),
});

/**
 * Runs the queries: in parallel over the pool when `em` is not bound to a connection, one after
 * another when it is (a transaction's single connection runs one statement at a time anyway, and
 * node-postgres deprecates queueing them).
 */
async function runAll(em: EntityManager, queries: ReadonlyArray<() => Promise<any>>): Promise<any[]> {
  if (!em.queryRunner) return Promise.all(queries.map((query) => query()));
  const results: any[] = [];
  for (const query of queries) results.push(await query());
  return results;
}
