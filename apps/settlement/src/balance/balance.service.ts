import { Injectable } from '@nestjs/common';
import { DealerDirectoryService } from '@app/dealer-directory';
import { formatMoney, monthsOfQuarter, quarterOfMonth, shanghaiDate, sumMoney } from '@app/kernel';
import { notFoundProblem } from '@app/platform';
import { perCardAccrualLines } from '../engine/accrual';
import { StatementLine } from '../engine/statement-line';
import { CardFactsProjection } from '../projections/card-facts.projection';
import { BalanceView } from './balance.view';

/** R-SET-1: the dealer's quarter-to-date figures from settlement's own projections. */
@Injectable()
export class BalanceService {
  constructor(
    private readonly directory: DealerDirectoryService,
    private readonly cards: CardFactsProjection,
  ) {}

  async quarterToDate(dealerCode: string, requestedQuarter: string | undefined, now = new Date()): Promise<BalanceView> {
    const dealer = await this.directory.findDealer(dealerCode);
    if (!dealer) throw notFoundProblem(`Dealer ${dealerCode} is not known to settlement.`);
    const latest = await this.cards.latestMonth(dealerCode);
    const quarter = requestedQuarter ?? quarterOfMonth(latest ?? shanghaiDate(now).slice(0, 7));
    const months = monthsOfQuarter(quarter);
    const versions = await this.directory.agreementVersions(dealerCode);
    const counts = await this.cards.countsByMonth(dealerCode, months);

    const lines: StatementLine[] = [];
    const monthViews = months.map((month) => {
      const inForce = versions.filter((v) => v.effectiveFrom <= `${month}-01`).pop();
      const cards = counts.get(month) ?? [];
      const monthLines = perCardAccrualLines({ month, terms: inForce?.terms, agreementVersion: inForce?.version, cards });
      lines.push(...monthLines);
      return {
        month,
        agreementVersion: inForce?.version ?? null,
        cards: cards.reduce((n, c) => n + c.count, 0),
        accrual: formatMoney(sumMoney(monthLines.map((l) => l.amount))),
      };
    });
    const openingBalance = '0.00';
    const accrual = sumMoney(lines.filter((l) => l.kind === 'ALLOWANCE_ACCRUAL').map((l) => l.amount));
    return {
      dealerCode, quarter, provisional: true, openingBalance, months: monthViews, lines,
      accrual: formatMoney(accrual),
      balance: formatMoney(sumMoney([openingBalance, ...lines.map((l) => l.amount)])),
      asOf: now.toISOString(),
    };
  }
}
