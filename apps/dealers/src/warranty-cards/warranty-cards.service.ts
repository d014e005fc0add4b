import { Injectable } from '@nestjs/common';
import { decodePageCursor, Page, SEQUENCE_KEY, toPage } from '@app/platform';
import { WarrantyCardEntity } from './warranty-card.entity';
import { WarrantyCardView } from './warranty-card.dto';
import { CardListFilter, WarrantyCardsRepository } from './warranty-cards.repository';

export function toCardView(c: WarrantyCardEntity): WarrantyCardView {
  return {
    id: String(c.id),
    serial: c.serial,
    dealerCode: c.dealerCode,
    reportMonth: c.reportMonth,
    model: c.model,
    saleDate: c.saleDate,
    outlet: c.outlet,
    consumerName: c.consumerName,
    phone: c.phone,
    address: c.address,
    status: c.status,
    flags: c.flags,
    batchId: c.batchId,
    createdAt: c.createdAt.toISOString(),
    withdrawnAt: c.withdrawnAt ? c.withdrawnAt.toISOString() : null,
  };
}

@Injectable()
export class WarrantyCardsService {
  constructor(private readonly cards: WarrantyCardsRepository) {}

  /** Cards in insertion order (id), cursor-paginated; the dealer filter is already scoped by the caller. */
  async list(filter: CardListFilter, limit: number, cursor?: string): Promise<Page<WarrantyCardView>> {
    const rows = await this.cards.page(filter, limit, decodePageCursor(cursor, SEQUENCE_KEY));
    const page = toPage(rows, limit, (c) => String(c.id));
    return { items: page.items.map(toCardView), nextCursor: page.nextCursor };
  }
}
