import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DealerDirectoryService } from '@app/dealer-directory';
import { formatMoney, monthsOfQuarter, quarterOfMonth, shanghaiDate, sumMoney } from '@app/kernel';
import { computeStatement } from '../engine/compute-statement';
import { CardFactsProjection } from '../projections/card-facts.projection';
import { FactsRepository } from '../projections/facts.repository';
import { DealerTallyView, TalliesService } from '../tallies/tallies.service';
import type { MonthInput, StatementInput, StatementResult } from '../engine/statement-input';
import { dealerNotKnown } from './balance.problems';
import { Clock } from '@app/platform';
import { BalanceLineView, BalanceView } from './balance.view';

/**
 * R-SET-1: the dealer's quarter-to-date figures from the engine over settlement's own projections
 * (provisional: the quarterly statement is what counts), with the stored monthly tallies. Each month
 * is treated as a run at this moment would (DOMAIN §9): past its due time without a report it is
 * withheld (R-REP-4), before its due time it is PENDING.
 */
@Injectable()
export class BalanceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: DealerDirectoryService,
    private readonly cards: CardFactsProjection,
    private readonly facts: FactsRepository,
    private readonly tallies: TalliesService,
    private readonly clock: Clock,
  ) {}

  /**
   * With `asOf`, the balance as it stood then: only facts received by then, the statements as they
   * were then (approved by then) and the tallies stored by then, the months judged at that instant.
   */
  async quarterToDate(
    dealerCode: string,
    requestedQuarter: string | undefined,
    asOf?: Date,
    now = asOf ?? this.clock.now(),
  ): Promise<BalanceView> {
    return this.db.transaction('REPEATABLE READ', async (em) => {
      // Every figure from one snapshot. The fact reads are prepared statements of one dealer: a
      // generic plan serves them all, where PostgreSQL would otherwise plan each one at every read.
      await em.query('SET TRANSACTION READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan');
      const dealer = await this.directory.findDealer(dealerCode, em);
      if (!dealer) throw dealerNotKnown(dealerCode);
      const latest = requestedQuarter ? undefined : await this.cards.latestMonth(dealerCode, asOf, em);
      const quarter = requestedQuarter ?? quarterOfMonth(latest ?? shanghaiDate(now).slice(0, 7));
      const [request] = await this.tallies.requests(em, [dealerCode], quarter, asOf);
      const [input] = await this.facts.loadStatementInputs([request], quarter, { now, asOf }, em);
      if (!input) return noAgreementView(dealerCode, quarter, request.openingBalance, now);
      const stored = await this.tallies.dealerTallies(dealerCode, quarter, em, asOf);
      const result = computeStatement(input);
      return {
        dealerCode,
        quarter,
        provisional: true,
        opening: result.openingBalance,
        settlementMode: result.settlementMode,
        months: input.months.map((m) => monthView(m, input, result, stored)),
        pendingMonths: result.pendingMonths,
        lines: result.lines as BalanceLineView[],
        accrual: result.totals.accrual,
        closing: result.closing,
        invoiced: result.totals.invoiced,
        totals: { ...result.totals },
        asOf: now.toISOString(),
      };
    });
  }
}

/** A quarter without terms in force: the opening only. */
function noAgreementView(dealerCode: string, quarter: string, opening: string, now: Date): BalanceView {
  return {
    dealerCode,
    quarter,
    provisional: true,
    opening: formatMoney(opening),
    settlementMode: null,
    pendingMonths: [],
    months: monthsOfQuarter(quarter).map((month) => ({
      month,
      agreementVersion: null,
      cards: 0,
      accrual: '0.00',
      reportSubmitted: false,
      pending: false,
      tally: null,
    })),
    lines: [],
    accrual: '0.00',
    closing: formatMoney(opening),
    invoiced: '0.00',
    totals: null,
    asOf: now.toISOString(),
  };
}

/** A month of the quarter: its cards and accrual so far, and its stored tally (R-SET-1). */
function monthView(m: MonthInput, input: StatementInput, result: StatementResult, stored: DealerTallyView[]) {
  const tally = stored.find((t) => t.month === m.month);
  return {
    month: m.month,
    agreementVersion: m.agreementVersion ?? null,
    cards: input.cardCounts.filter((c) => c.month === m.month).reduce((n, c) => n + c.count, 0),
    accrual: formatMoney(
      sumMoney(result.lines.filter((l) => l.period === m.month && l.kind === 'ALLOWANCE_ACCRUAL').map((l) => l.amount)),
    ),
    reportSubmitted: m.reportFirstSubmittedAt !== null,
    pending: m.pending === true,
    tally: tally
      ? {
          closing: tally.closing,
          monthAccrual: tally.monthAccrual,
          monthNet: tally.monthNet,
          talliedAt: tally.talliedAt,
          trigger: tally.trigger,
        }
      : null,
  };
}
