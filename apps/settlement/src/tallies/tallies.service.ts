import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AgreementTerms, DealerBalanceTallied } from '@app/contracts';
import { termsInForce } from '@app/dealer-directory';
import { addMonths, quarterOfMonth, reportDueAt, shanghaiDate } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, decodePageCursor, isolateFailures, Page, toPage } from '@app/platform';
import { tallyMonth } from '../engine/tally';
import { FactsRepository } from '../projections/facts.repository';
import { tallyRequests } from './quarter-context';

export type TallyTrigger = 'FINANCE' | 'SCHEDULE';

export interface TallyError {
  dealerCode: string;
  message: string;
}

export interface TallyRunView {
  month: string;
  quarter: string;
  trigger: TallyTrigger;
  /** Dealers tallied. */
  dealers: number;
  talliedBy: string;
  talliedAt: string;
  /** Dealers that could not be tallied, each with its reason. */
  errors: TallyError[];
}

export interface DealerTallyView {
  dealerCode: string;
  month: string;
  quarter: string;
  monthAccrual: string;
  monthNet: string;
  monthInvoiced: string;
  openingBalance: string;
  quarterBalance: string;
  trigger: TallyTrigger;
  talliedAt: string;
  lines?: unknown[];
}

const BATCH = 500;

/** R-SET-1: the monthly tally — the month's figures and the quarter-to-date balance per dealer. */
@Injectable()
export class TalliesService {
  private readonly logger = new Logger(TalliesService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: FactsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * Tallies `month` for the given dealers (default: every dealer with terms in force in the month).
   * A dealer whose tally cannot be computed or stored is listed in `errors` with its own message;
   * the other dealers are tallied.
   */
  async tally(
    month: string,
    trigger: TallyTrigger,
    by: string,
    now: Date,
    onlyDealers?: string[],
  ): Promise<TallyRunView> {
    const quarter = quarterOfMonth(month);
    const codes = onlyDealers ?? (await this.dealersWithTerms(month)).map((d) => d.code);
    const errors: TallyError[] = [];
    let done = 0;
    for (let i = 0; i < codes.length; i += BATCH) {
      done += await this.tallyEach(codes.slice(i, i + BATCH), month, quarter, { trigger, by, now }, errors);
    }
    if (errors.length > 0)
      this.logger.warn(
        `tally of ${month}: ${errors.length} dealer(s) not tallied: ${errors.map((e) => e.dealerCode).join(', ')}`,
      );
    return this.db.transaction(async (em) => {
      await em.query(
        `INSERT INTO tallied_months (month, trigger, dealers, tallied_by, tallied_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (month) DO UPDATE SET trigger = EXCLUDED.trigger, dealers = EXCLUDED.dealers, tallied_by = EXCLUDED.tallied_by, tallied_at = EXCLUDED.tallied_at`,
        [month, trigger, done, by, now],
      );
      await this.audit.record(em, {
        action: 'tally.run',
        entityType: 'tally',
        entityId: month,
        details: {
          trigger,
          dealers: done,
          onlyDealers: onlyDealers?.length ?? null,
          ...(errors.length > 0 ? { errors } : {}),
        },
      });
      return { month, quarter, trigger, dealers: done, talliedBy: by, talliedAt: now.toISOString(), errors };
    });
  }

  /** Tallies a batch in one transaction; a dealer whose tally cannot be computed or stored is listed with its error. Returns how many were tallied. */
  private async tallyEach(
    batch: string[],
    month: string,
    quarter: string,
    run: { trigger: TallyTrigger; by: string; now: Date },
    errors: TallyError[],
  ): Promise<number> {
    const counts = await isolateFailures(
      batch,
      async (part) => [await this.db.transaction((em) => this.tallyBatch(em, part, month, quarter, run))],
      (dealerCode, err) => errors.push({ dealerCode, message: err instanceof Error ? err.message : String(err) }),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  private async tallyBatch(
    em: EntityManager,
    batch: string[],
    month: string,
    quarter: string,
    run: { trigger: TallyTrigger; by: string; now: Date },
  ): Promise<number> {
    const { trigger, by, now } = run;
    const inputs = await this.facts.loadStatementInputs(
      await tallyRequests(em, batch, quarter),
      quarter,
      { provisional: true },
      em,
    );
    const tallies = inputs.map((input) => ({ input, t: tallyMonth(input, month) }));
    if (tallies.length === 0) return 0;
    await em.query(
      `INSERT INTO monthly_tallies (dealer_code, month, quarter, month_accrual, month_net, month_invoiced, opening_balance, quarter_balance, lines, trigger, tallied_by, tallied_at)
       SELECT u.dealer, $1, $2, u.accrual, u.net, u.invoiced, u.opening, u.balance, u.lines, $3, $4, $5
       FROM unnest($6::text[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::jsonb[]) AS u(dealer, accrual, net, invoiced, opening, balance, lines)
       ON CONFLICT (dealer_code, month) DO UPDATE SET quarter = EXCLUDED.quarter, month_accrual = EXCLUDED.month_accrual, month_net = EXCLUDED.month_net,
         month_invoiced = EXCLUDED.month_invoiced, opening_balance = EXCLUDED.opening_balance, quarter_balance = EXCLUDED.quarter_balance,
         lines = EXCLUDED.lines, trigger = EXCLUDED.trigger, tallied_by = EXCLUDED.tallied_by, tallied_at = EXCLUDED.tallied_at`,
      [
        month,
        quarter,
        trigger,
        by,
        now,
        tallies.map((x) => x.input.dealerCode),
        tallies.map((x) => x.t.monthAccrual),
        tallies.map((x) => x.t.monthNet),
        tallies.map((x) => x.t.monthInvoiced),
        tallies.map((x) => x.input.openingBalance),
        tallies.map((x) => x.t.quarterBalance),
        tallies.map((x) => JSON.stringify(x.t.result.lines.filter((l) => l.period === month))),
      ],
    );
    await this.outbox.enqueue(
      em,
      tallies.map((x) => ({
        definition: DealerBalanceTallied,
        dealerCode: x.input.dealerCode,
        payload: { dealerCode: x.input.dealerCode, quarter, balance: x.t.quarterBalance, asOf: now.toISOString() },
      })),
    );
    return tallies.length;
  }

  /**
   * The scheduled check: for the last three months, tallies each dealer whose report due time
   * (its terms' reportDueDay of the next month, Asia/Shanghai) has passed and that has no tally yet.
   */
  async tallyDue(now: Date): Promise<TallyRunView[]> {
    const current = shanghaiDate(now).slice(0, 7);
    const runs: TallyRunView[] = [];
    for (const month of [addMonths(current, -3), addMonths(current, -2), addMonths(current, -1)]) {
      const dealers = await this.dealersWithTerms(month);
      const tallied = new Set<string>(
        (await this.db.query(`SELECT dealer_code FROM monthly_tallies WHERE month = $1`, [month])).map(
          (r: { dealer_code: string }) => r.dealer_code,
        ),
      );
      const due = dealers
        .filter((d) => !tallied.has(d.code) && reportDueAt(month, d.terms.reportDueDay).getTime() <= now.getTime())
        .map((d) => d.code);
      if (due.length === 0) continue;
      runs.push(await this.tally(month, 'SCHEDULE', 'system', now, due));
      this.logger.log(`tallied ${month} for ${due.length} dealers (report due time passed)`);
    }
    return runs;
  }

  async listTallies(
    month: string,
    filter: { dealer?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<DealerTallyView>> {
    const after = decodePageCursor(page.cursor);
    const rows: any[] = await this.db.query(
      `SELECT * FROM monthly_tallies WHERE month = $1 AND ($2::text IS NULL OR dealer_code = $2) AND ($3::text IS NULL OR dealer_code > $3)
       ORDER BY dealer_code LIMIT $4`,
      [month, filter.dealer ?? null, after ?? null, page.limit + 1],
    );
    return toPage(
      rows.map((r) => toTallyView(r, false)),
      page.limit,
      (v) => v.dealerCode,
    );
  }

  /** The stored tallies of a dealer's quarter, by month. */
  async dealerTallies(
    dealerCode: string,
    quarter: string,
    em: EntityManager = this.db.manager,
  ): Promise<DealerTallyView[]> {
    const rows: any[] = await em.query(
      `SELECT * FROM monthly_tallies WHERE dealer_code = $1 AND quarter = $2 ORDER BY month`,
      [dealerCode, quarter],
    );
    return rows.map((r) => toTallyView(r, false));
  }

  private async dealersWithTerms(month: string): Promise<Array<{ code: string; terms: AgreementTerms }>> {
    const rows: Array<{ dealer_code: string; version: number; effective_from: string; terms: AgreementTerms }> =
      await this.db.query(
        `SELECT dealer_code, version, effective_from::text AS effective_from, terms FROM known_agreements WHERE effective_from <= $1::date ORDER BY dealer_code`,
        [`${month}-01`],
      );
    const byDealer = new Map<string, Array<{ version: number; effectiveFrom: string; terms: AgreementTerms }>>();
    for (const r of rows)
      byDealer.set(r.dealer_code, [
        ...(byDealer.get(r.dealer_code) ?? []),
        { version: r.version, effectiveFrom: r.effective_from, terms: r.terms },
      ]);
    return [...byDealer].flatMap(([code, versions]) => {
      const v = termsInForce(versions, month);
      return v ? [{ code, terms: v.terms }] : [];
    });
  }
}

function toTallyView(r: any, withLines: boolean): DealerTallyView {
  return {
    dealerCode: r.dealer_code,
    month: r.month,
    quarter: String(r.quarter).trim(),
    monthAccrual: r.month_accrual,
    monthNet: r.month_net,
    monthInvoiced: r.month_invoiced,
    openingBalance: r.opening_balance,
    quarterBalance: r.quarter_balance,
    trigger: r.trigger,
    talliedAt: (r.tallied_at as Date).toISOString(),
    ...(withLines ? { lines: r.lines } : {}),
  };
}
