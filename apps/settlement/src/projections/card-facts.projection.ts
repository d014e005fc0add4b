import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  EventEnvelope,
  WarrantyCardsAccepted,
  WarrantyCardsAcceptedPayload,
  WarrantyCardWithdrawn,
  WarrantyCardWithdrawnPayload,
} from '@app/contracts';
import { MessagingService } from '@app/messaging';
import type { CardCount } from '../engine/rules/accrual';
import { ConsumedEventsRepository } from './consumed-events.repository';
import { on, registerProjection } from './projection-table';

/** Accepted warranty cards as settlement knows them, fed only by WarrantyCardsAccepted / WarrantyCardWithdrawn events. */
@Injectable()
export class CardFactsProjection implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly messaging: MessagingService,
    private readonly consumed: ConsumedEventsRepository,
  ) {}

  onModuleInit(): void {
    registerProjection(this.messaging, this.consumed, [
      on(WarrantyCardsAccepted, (event, em) => this.onCardsAccepted(event, em)),
      on(WarrantyCardWithdrawn, (event, em) => this.onCardWithdrawn(event, em)),
    ]);
  }

  private async onCardsAccepted(event: EventEnvelope<WarrantyCardsAcceptedPayload>, em: EntityManager): Promise<void> {
    const p = event.payload;
    await em.query(
      `INSERT INTO card_facts (batch_id, serial, dealer_code, report_month, model, sale_date, source_event_id)
       SELECT $1, u.serial, $2, $3, u.model, u.sale_date, $4
       FROM unnest($5::text[], $6::text[], $7::date[]) AS u(serial, model, sale_date)
       ON CONFLICT (batch_id, serial) DO NOTHING`,
      [
        p.batchId,
        p.dealerCode,
        p.reportMonth,
        event.eventId,
        p.cards.map((c) => c.serial),
        p.cards.map((c) => c.model),
        p.cards.map((c) => c.saleDate),
      ],
    );
  }

  /** The withdrawn card stops counting; the row stays (with when settlement learned it) for R-SET-7. */
  private async onCardWithdrawn(event: EventEnvelope<WarrantyCardWithdrawnPayload>, em: EntityManager): Promise<void> {
    const p = event.payload;
    await em.query(
      `UPDATE card_facts SET withdrawn_at = now(), withdrawn_event_id = $4
       WHERE batch_id = $1 AND serial = $2 AND dealer_code = $3 AND withdrawn_at IS NULL`,
      [p.batchId, p.serial, p.dealerCode, event.eventId],
    );
  }

  /** Card counts per month and model for the given months (withdrawn cards excluded). */
  async countsByMonth(dealerCode: string, months: string[]): Promise<Map<string, CardCount[]>> {
    const rows: Array<{ report_month: string; model: string; count: string }> = await this.db.query(
      `SELECT report_month, model, count(*) AS count FROM card_facts
       WHERE dealer_code = $1 AND report_month = ANY($2) AND withdrawn_at IS NULL GROUP BY report_month, model ORDER BY report_month, model`,
      [dealerCode, months],
    );
    const byMonth = new Map<string, CardCount[]>(months.map((m) => [m, []]));
    for (const r of rows) byMonth.get(r.report_month)?.push({ model: r.model, count: Number(r.count) });
    return byMonth;
  }

  async latestMonth(dealerCode: string, asOf?: Date, em: EntityManager = this.db.manager): Promise<string | undefined> {
    const [row] = await em.query(
      `SELECT max(report_month) AS month FROM card_facts WHERE dealer_code = $1 AND ($2::timestamptz IS NULL OR received_at <= $2)`,
      [dealerCode, asOf ?? null],
    );
    return row?.month ?? undefined;
  }
}
