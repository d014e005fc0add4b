import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodePageCursor, Page, toPage, validationProblem } from '@app/platform';
import { WarrantyCardEntity } from './warranty-card.entity';
import { WarrantyCardView } from './warranty-card.dto';

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

export interface CardListFilter {
  dealerCode?: string;
  month?: string;
  status?: string;
  flag?: string;
}

@Injectable()
export class WarrantyCardQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Cards in insertion order (id), cursor-paginated; the dealer filter is already scoped by the caller. */
  async list(filter: CardListFilter, limit: number, cursor?: string): Promise<Page<WarrantyCardView>> {
    const after = decodePageCursor(cursor);
    if (after !== undefined && !/^\d{1,18}$/.test(after)) {
      throw validationProblem([{ field: 'cursor', rule: 'cursor', message: 'not a cursor returned by this list' }]);
    }
    const qb = this.db
      .getRepository(WarrantyCardEntity)
      .createQueryBuilder('c')
      .orderBy('c.id', 'ASC')
      .limit(limit + 1);
    if (after !== undefined) qb.andWhere('c.id > :after', { after });
    if (filter.dealerCode) qb.andWhere('c.dealer_code = :dealer', { dealer: filter.dealerCode });
    if (filter.month) qb.andWhere('c.report_month = :month', { month: filter.month });
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.flag) qb.andWhere(':flag = ANY(c.flags)', { flag: filter.flag });
    const page = toPage(await qb.getMany(), limit, (c) => String(c.id));
    return { items: page.items.map(toCardView), nextCursor: page.nextCursor };
  }
}
