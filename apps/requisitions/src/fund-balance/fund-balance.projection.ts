import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DealerBalanceTallied } from '@app/contracts';
import { MessagingService } from '@app/messaging';

export interface FundBalanceView {
  quarter: string;
  balance: string;
  asOf: string;
}

/**
 * The dealer's latest provisional fund balance (R-SET-1), kept from settlement's DealerBalanceTallied events,
 * shown to the dealer before approval (R-SET-4: a requisition that takes it below zero is still allowed).
 */
@Injectable()
export class FundBalanceProjection implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly messaging: MessagingService,
  ) {}

  onModuleInit(): void {
    this.messaging.handle(DealerBalanceTallied, async (event, em) => {
      const p = event.payload;
      // Keep the newest tally; an older one arriving late changes nothing.
      await em.query(
        `INSERT INTO dealer_fund_balances (dealer_code, quarter, balance, as_of, source_event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (dealer_code) DO UPDATE SET quarter = EXCLUDED.quarter, balance = EXCLUDED.balance, as_of = EXCLUDED.as_of, source_event_id = EXCLUDED.source_event_id
         WHERE dealer_fund_balances.as_of <= EXCLUDED.as_of`,
        [p.dealerCode, p.quarter, p.balance, p.asOf, event.eventId],
      );
    });
  }

  async balanceOf(dealerCode: string, em: EntityManager = this.db.manager): Promise<FundBalanceView | null> {
    const [row] = await em.query(`SELECT quarter, balance, as_of FROM dealer_fund_balances WHERE dealer_code = $1`, [
      dealerCode,
    ]);
    return row ? { quarter: row.quarter, balance: row.balance, asOf: (row.as_of as Date).toISOString() } : null;
  }
}
