import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QuarterApprovedPayload } from '@app/contracts';

/** closed_months, fed by settlement's QuarterApproved. */
@Injectable()
export class ClosedMonthsProjection {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Idempotent upsert: a redelivered or repeated approval keeps the first closing. */
  async close(em: EntityManager, p: QuarterApprovedPayload): Promise<void> {
    await em.query(
      `INSERT INTO closed_months (dealer_code, month, quarter, statement_id, closed_at)
       SELECT $1, m, $2, $3, $4 FROM unnest($5::text[]) AS m
       ON CONFLICT (dealer_code, month) DO NOTHING`,
      [p.dealerCode, p.quarter, p.statementId, p.approvedAt, p.months],
    );
  }

  async isClosed(dealerCode: string, month: string, em: EntityManager = this.db.manager): Promise<boolean> {
    const rows: unknown[] = await em.query('SELECT 1 FROM closed_months WHERE dealer_code = $1 AND month = $2', [
      dealerCode,
      month,
    ]);
    return rows.length > 0;
  }

  async latestClosedMonth(dealerCode: string, em: EntityManager = this.db.manager): Promise<string | null> {
    const rows: Array<{ month: string | null }> = await em.query(
      'SELECT max(month) AS month FROM closed_months WHERE dealer_code = $1',
      [dealerCode],
    );
    return rows[0]?.month ?? null;
  }
}
