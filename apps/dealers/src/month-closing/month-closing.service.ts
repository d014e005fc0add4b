import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QuarterApproved } from '@app/contracts';
import { MessagingService } from '@app/messaging';

/**
 * Months closed by settlement's QuarterApproved (R-SET-8, DOMAIN §3 status CLOSED): no report
 * part, card or withdrawal of a closed month is accepted any more, and no agreement version
 * may take effect in or before one.
 */
@Injectable()
export class MonthClosingService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly messaging: MessagingService,
  ) {}

  onModuleInit(): void {
    this.messaging.handle(QuarterApproved, async (event, em) => {
      const p = event.payload;
      if (p.months.length === 0) return;
      // FOR UPDATE on the dealer: card batches, withdrawals and agreement versions hold it (FOR SHARE /
      // FOR UPDATE) while they check closed_months, so a closing never lands in the middle of one.
      await em.query('SELECT 1 FROM dealers WHERE code = $1 FOR UPDATE', [p.dealerCode]);
      // Idempotent upsert: a redelivered or repeated approval keeps the first closing.
      await em.query(
        `INSERT INTO closed_months (dealer_code, month, quarter, statement_id, closed_at)
         SELECT $1, m, $2, $3, $4 FROM unnest($5::text[]) AS m
         ON CONFLICT (dealer_code, month) DO NOTHING`,
        [p.dealerCode, p.quarter, p.statementId, p.approvedAt, p.months],
      );
    });
  }

  /** True when the dealer's month is closed. Pass `em` to read inside a running transaction. */
  async isClosed(dealerCode: string, month: string, em?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (em ?? this.db.manager).query(
      'SELECT 1 FROM closed_months WHERE dealer_code = $1 AND month = $2',
      [dealerCode, month],
    );
    return rows.length > 0;
  }

  /** The dealer's latest closed month (YYYY-MM), or null when none is closed. */
  async latestClosedMonth(dealerCode: string, em?: EntityManager): Promise<string | null> {
    const rows: Array<{ month: string | null }> = await (em ?? this.db.manager).query(
      'SELECT max(month) AS month FROM closed_months WHERE dealer_code = $1',
      [dealerCode],
    );
    return rows[0]?.month ?? null;
  }

  /** Which of the given months are closed for the dealer. */
  async closedAmong(dealerCode: string, months: string[], em?: EntityManager): Promise<Set<string>> {
    if (months.length === 0) return new Set();
    const rows: Array<{ month: string }> = await (em ?? this.db.manager).query(
      'SELECT month FROM closed_months WHERE dealer_code = $1 AND month = ANY($2::text[])',
      [dealerCode, months],
    );
    return new Set(rows.map((r) => r.month));
  }
}
