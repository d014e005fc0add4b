import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PartPriceSet } from '@app/contracts';
import { MessagingService } from '@app/messaging';
import type { PartPriceVersion } from './price-list-rules';

/**
 * The price list (R-PRT-1) kept from requisitions' PartPriceSet events, one row per part and effective
 * date: refurbishment parts are valued with it at closing (R-RET-4, DOMAIN §9). A version is never
 * rewritten at the source, so applying an event again (a replay) leaves the row as it was.
 */
@Injectable()
export class PartPricesProjection implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly messaging: MessagingService,
  ) {}

  onModuleInit(): void {
    this.messaging.handle(PartPriceSet, async (event, em) => {
      const p = event.payload;
      await em.query(
        `INSERT INTO part_prices (part_no, effective_from, name, list_price, cost_price, source_event_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (part_no, effective_from) DO UPDATE SET name = EXCLUDED.name, list_price = EXCLUDED.list_price,
           cost_price = EXCLUDED.cost_price, source_event_id = EXCLUDED.source_event_id`,
        [p.partNo, p.effectiveFrom, p.name, p.listPrice, p.costPrice, event.eventId],
      );
    });
  }

  /** Every known version of the given parts, by part, oldest first. */
  async versionsOf(
    partNos: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, PartPriceVersion[]>> {
    const rows: Array<Record<string, string>> = await em.query(
      `SELECT part_no, name, list_price, cost_price, effective_from::text AS effective_from
       FROM part_prices WHERE part_no = ANY($1) ORDER BY part_no, effective_from`,
      [[...new Set(partNos)]],
    );
    const byPart = new Map<string, PartPriceVersion[]>();
    for (const r of rows) {
      const list = byPart.get(r.part_no) ?? [];
      list.push({
        partNo: r.part_no,
        name: r.name,
        listPrice: r.list_price,
        costPrice: r.cost_price,
        effectiveFrom: r.effective_from,
      });
      byPart.set(r.part_no, list);
    }
    return byPart;
  }
}
