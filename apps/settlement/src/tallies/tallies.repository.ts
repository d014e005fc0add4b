import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AgreementTerms } from '@app/contracts';
import type { MonthTally } from '../engine/tally';
import type { StatementInput } from '../engine/statement-input';

export type TallyTrigger = 'FINANCE' | 'SCHEDULE';

export interface DealerTallyView {
  dealerCode: string;
  month: string;
  quarter: string;
  monthAccrual: string;
  monthNet: string;
  monthInvoiced: string;
  /** Named as on the statement: the quarter's opening and its closing so far. */
  opening: string;
  closing: string;
  trigger: TallyTrigger;
  talliedAt: string;
  lines?: unknown[];
}

export interface TallyRun {
  trigger: TallyTrigger;
  by: string;
  now: Date;
}

/** Every SQL statement on monthly_tallies and tallied_months (R-SET-1). */
@Injectable()
export class TalliesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async recordMonth(em: EntityManager, month: string, dealers: number, run: TallyRun): Promise<void> {
    await em.query(
      `INSERT INTO tallied_months (month, trigger, dealers, tallied_by, tallied_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (month) DO UPDATE SET trigger = EXCLUDED.trigger, dealers = EXCLUDED.dealers, tallied_by = EXCLUDED.tallied_by, tallied_at = EXCLUDED.tallied_at`,
      [month, run.trigger, dealers, run.by, run.now],
    );
  }

  /** One tally per dealer and month; a second tally of the month replaces the first. */
  async upsert(
    em: EntityManager,
    month: string,
    quarter: string,
    tallies: Array<{ input: StatementInput; t: MonthTally }>,
    run: TallyRun,
  ): Promise<void> {
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
        run.trigger,
        run.by,
        run.now,
        tallies.map((x) => x.input.dealerCode),
        tallies.map((x) => x.t.monthAccrual),
        tallies.map((x) => x.t.monthNet),
        tallies.map((x) => x.t.monthInvoiced),
        tallies.map((x) => x.input.openingBalance),
        tallies.map((x) => x.t.quarterBalance),
        tallies.map((x) => JSON.stringify(x.t.result.lines.filter((l) => l.period === month))),
      ],
    );
  }

  /** The dealers already tallied for `month`. */
  async talliedDealers(month: string): Promise<Set<string>> {
    const rows: Array<{ dealer_code: string }> = await this.db.query(
      `SELECT dealer_code FROM monthly_tallies WHERE month = $1`,
      [month],
    );
    return new Set(rows.map((r) => r.dealer_code));
  }

  async list(month: string, dealer: string | undefined, after: string | undefined, limit: number) {
    const rows: any[] = await this.db.query(
      `SELECT * FROM monthly_tallies WHERE month = $1 AND ($2::text IS NULL OR dealer_code = $2) AND ($3::text IS NULL OR dealer_code > $3)
       ORDER BY dealer_code LIMIT $4`,
      [month, dealer ?? null, after ?? null, limit + 1],
    );
    return rows.map((r) => toTallyView(r, false));
  }

  /** The stored tallies of a dealer's quarter, by month. */
  async ofDealerQuarter(dealerCode: string, quarter: string, em: EntityManager = this.db.manager, asOf?: Date) {
    const rows: any[] = await em.query(
      `SELECT * FROM monthly_tallies WHERE dealer_code = $1 AND quarter = $2 AND ($3::timestamptz IS NULL OR tallied_at <= $3)
       ORDER BY month`,
      [dealerCode, quarter, asOf ?? null],
    );
    return rows.map((r) => toTallyView(r, false));
  }

  /** Every agreement version in effect by the month's first day, per dealer (known_agreements). */
  async agreementsBy(
    month: string,
  ): Promise<Map<string, Array<{ version: number; effectiveFrom: string; terms: AgreementTerms }>>> {
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
    return byDealer;
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
    opening: r.opening_balance,
    closing: r.quarter_balance,
    trigger: r.trigger,
    talliedAt: (r.tallied_at as Date).toISOString(),
    ...(withLines ? { lines: r.lines } : {}),
  };
}
