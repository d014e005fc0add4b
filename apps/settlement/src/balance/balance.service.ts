import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DealerDirectoryService } from '@app/dealer-directory';
import { formatMoney, monthsOfQuarter, quarterOfMonth, shanghaiDate, sumMoney } from '@app/kernel';
import { notFoundProblem } from '@app/platform';
import { computeStatement } from '../engine/compute-statement';
import { CardFactsProjection } from '../projections/card-facts.projection';
import { FactsRepository } from '../projections/facts.repository';
import { tallyRequests } from '../tallies/quarter-context';
import { TalliesService } from '../tallies/tallies.service';
import { Clock } from '@app/platform';
import { BalanceLineView, BalanceView } from './balance.view';

/**
 * R-SET-1: the dealer's quarter-to-date figures from the engine over settlement's own projections
 * (provisional: the quarterly statement is what counts), with the stored monthly tallies.
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

  async quarterToDate(
    dealerCode: string,
    requestedQuarter: string | undefined,
    now = this.clock.now(),
  ): Promise<BalanceView> {
    const dealer = await this.directory.findDealer(dealerCode);
    if (!dealer) throw notFoundProblem(`Dealer ${dealerCode} is not known to settlement.`);
    const latest = requestedQuarter ? undefined : await this.cards.latestMonth(dealerCode);
    const quarter = requestedQuarter ?? quarterOfMonth(latest ?? shanghaiDate(now).slice(0, 7));
    const months = monthsOfQuarter(quarter);
    const [request] = await tallyRequests(this.db.manager, [dealerCode], quarter);
    const [input] = await this.facts.loadStatementInputs([request], quarter, { provisional: true });
    const stored = await this.tallies.dealerTallies(dealerCode, quarter);

    if (!input) {
      return {
        dealerCode,
        quarter,
        provisional: true,
        openingBalance: formatMoney(request.openingBalance),
        settlementMode: null,
        months: months.map((month) => ({
          month,
          agreementVersion: null,
          cards: 0,
          accrual: '0.00',
          reportSubmitted: false,
          tally: null,
        })),
        lines: [],
        accrual: '0.00',
        balance: formatMoney(request.openingBalance),
        invoiced: '0.00',
        totals: null,
        asOf: now.toISOString(),
      };
    }
    const result = computeStatement(input);
    return {
      dealerCode,
      quarter,
      provisional: true,
      openingBalance: result.openingBalance,
      settlementMode: result.settlementMode,
      months: input.months.map((m) => {
        const tally = stored.find((t) => t.month === m.month);
        return {
          month: m.month,
          agreementVersion: m.agreementVersion ?? null,
          cards: input.cardCounts.filter((c) => c.month === m.month).reduce((n, c) => n + c.count, 0),
          accrual: formatMoney(
            sumMoney(
              result.lines.filter((l) => l.period === m.month && l.kind === 'ALLOWANCE_ACCRUAL').map((l) => l.amount),
            ),
          ),
          reportSubmitted: m.reportFirstSubmittedAt !== null,
          tally: tally
            ? {
                quarterBalance: tally.quarterBalance,
                monthAccrual: tally.monthAccrual,
                monthNet: tally.monthNet,
                talliedAt: tally.talliedAt,
                trigger: tally.trigger,
              }
            : null,
        };
      }),
      lines: result.lines as BalanceLineView[],
      accrual: result.totals.accrual,
      balance: result.closing,
      invoiced: result.totals.invoiced,
      totals: { ...result.totals },
      asOf: now.toISOString(),
    };
  }
}
