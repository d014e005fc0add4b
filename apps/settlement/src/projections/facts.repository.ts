import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AgreementTerms } from '@app/contracts';
import { AgreementVersionFacts, termsInForce } from '@app/dealer-directory';
import { monthsOfQuarter } from '@app/kernel';
import type { StatementInput, YearContext } from '../engine/statement-input';
import { DealerCtx, groupBy } from './fact-rows';
import { loadLateFacts } from './late-facts.repository';
import { quarterInputOf } from './quarter-accruals';
import { loadQuarterFacts } from './quarter-facts.repository';
import { loadYearContexts } from './year-context.repository';

export { destinationOf } from './late-facts.repository';

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
  /** This dealer's facts as received by then (and its months judged then), instead of the load's `asOf` / `now`. */
  asOf?: Date;
  /**
   * What-if: these terms in place of every agreement version's own terms (same versions and
   * effective dates), wherever they enter the engine — the quarter's months, late facts, the year.
   */
  terms?: AgreementTerms;
}

export interface LoadOptions {
  /** Only facts settlement had received by then (verification of a frozen statement: its approval time). */
  asOf?: Date;
  /**
   * The moment of the computation (the platform Clock's now): months whose report due time has not
   * passed by then are PENDING (DOMAIN §9). Default: `asOf`, else none is pending.
   */
  now?: Date;
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

const withTerms = (versions: AgreementVersionFacts[], terms: AgreementTerms | undefined): AgreementVersionFacts[] =>
  terms ? versions.map((v) => ({ ...v, terms })) : versions;

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
        asOf: r.asOf ?? asOf,
        versions: withTerms(versions.get(r.dealerCode) ?? [], r.terms),
        approved: approved.get(r.dealerCode) ?? new Map<string, Date>(),
      }))
      .filter((d) => monthsOfQuarter(quarter).some((m) => termsInForce(d.versions, m)));
    if (ctx.length === 0) return [];
    const facts = await loadQuarterFacts(ctx, quarter, em);
    const late = await loadLateFacts(ctx, quarter, em);
    const year = quarter.endsWith('Q4') ? await loadYearContexts(ctx, quarter, em) : new Map<string, YearContext>();
    const byCode = new Map(requests.map((r) => [r.dealerCode, r]));
    return ctx.map((d): StatementInput => ({
      ...quarterInputOf(
        d,
        quarter,
        facts,
        byCode.get(d.code)?.openingBalance ?? '0.00',
        byCode.get(d.code)?.asOf ?? opts.now ?? opts.asOf,
      ),
      lateFacts: late.get(d.code) ?? [],
      year: year.get(d.code) ?? null,
    }));
  }

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
      out.set(r.dealerCode, aq instanceof Map ? new Map(aq) : new Map());
      if (!(aq instanceof Map))
        for (const q of aq as Iterable<string>) missing.push({ dealer: r.dealerCode, quarter: q });
    }
    if (missing.length === 0) return out;
    const found = await this.approvedAt(missing, em);
    // A quarter said to be approved without a known time: everything received so far was in it.
    for (const m of missing) out.get(m.dealer)!.set(m.quarter, found.get(`${m.dealer}|${m.quarter}`) ?? new Date());
    return out;
  }

  /** When the given dealers' quarters were approved (from the statements table, when it exists). */
  private async approvedAt(
    missing: Array<{ dealer: string; quarter: string }>,
    em: EntityManager,
  ): Promise<Map<string, Date>> {
    const [{ exists }] = await em.query(`SELECT to_regclass('statements') IS NOT NULL AS exists`);
    const rows: Array<{ dealer_code: string; quarter: string; approved_at: Date | null }> = exists
      ? await em.query(
          `SELECT s.dealer_code, trim(s.quarter) AS quarter, s.approved_at FROM statements s
         JOIN unnest($1::text[], $2::text[]) AS a(dealer, quarter) ON s.dealer_code = a.dealer AND trim(s.quarter) = a.quarter
         WHERE s.approved_at IS NOT NULL`,
          [missing.map((m) => m.dealer), missing.map((m) => m.quarter)],
        )
      : [];
    return new Map(rows.map((r) => [`${r.dealer_code}|${r.quarter}`, r.approved_at!]));
  }
}
