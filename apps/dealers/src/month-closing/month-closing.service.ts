import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { QuarterApproved } from '@app/contracts';
import { MessagingService } from '@app/messaging';
import { DealersRepository } from '../registry/dealers.repository';
import { ClosedMonthsProjection } from './closed-months.projection';

/**
 * Months closed by settlement's QuarterApproved (R-SET-8, DOMAIN §3 status CLOSED): no report
 * part, card or withdrawal of a closed month is accepted any more, and no agreement version
 * may take effect in or before one.
 */
@Injectable()
export class MonthClosingService implements OnModuleInit {
  constructor(
    private readonly closedMonths: ClosedMonthsProjection,
    private readonly dealers: DealersRepository,
    private readonly messaging: MessagingService,
  ) {}

  onModuleInit(): void {
    this.messaging.handle(QuarterApproved, async (event, em) => {
      const p = event.payload;
      if (p.months.length === 0) return;
      // FOR UPDATE on the dealer: card batches, withdrawals and agreement versions hold it (FOR SHARE /
      // FOR UPDATE) while they check closed_months, so a closing never lands in the middle of one.
      await this.dealers.lockExclusive(em, p.dealerCode);
      await this.closedMonths.close(em, p);
    });
  }

  /** True when the dealer's month is closed. Pass `em` to read inside a running transaction. */
  isClosed(dealerCode: string, month: string, em?: EntityManager): Promise<boolean> {
    return this.closedMonths.isClosed(dealerCode, month, em);
  }

  /** The dealer's latest closed month (YYYY-MM), or null when none is closed. */
  latestClosedMonth(dealerCode: string, em?: EntityManager): Promise<string | null> {
    return this.closedMonths.latestClosedMonth(dealerCode, em);
  }
}
