import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page, toPage } from '@app/platform';
import { ReturnApplicationEntity, ReturnLineEntity } from '../applications/return.entity';
import type { ReceivedLine } from './receipt-rules';
import { RefusedGoodsEntity } from './refused-goods.entity';

export type NewRefusedGoods = Omit<RefusedGoodsEntity, 'seq' | 'createdAt'>;

/** What arrived: the count of each line of a return (R-RET-3) and goods refused without an approved application (R-RET-1). */
@Injectable()
export class ReceiptRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The manufacturer's count and refusals per line; the return becomes RECEIVED. */
  async markReceived(
    em: EntityManager,
    id: string,
    lines: readonly ReceivedLine[],
    receipt: { receivedBy: string; receivedOn: string; at: Date },
  ): Promise<void> {
    for (const r of lines) {
      await em.update(
        ReturnLineEntity,
        { returnId: id, lineNo: r.lineNo },
        {
          countedQuantity: r.countedQuantity,
          refusedFor: r.refusedFor,
          refusalNote: r.refusalNote,
          chargedQuantity: r.chargedQuantity,
        },
      );
    }
    await em.update(
      ReturnApplicationEntity,
      { id },
      { status: 'RECEIVED', receivedBy: receipt.receivedBy, receivedOn: receipt.receivedOn, updatedAt: receipt.at },
    );
  }

  /** Stores the refused goods and reads them back with what the database set. */
  async insertRefused(em: EntityManager, goods: NewRefusedGoods): Promise<RefusedGoodsEntity> {
    await em.insert(RefusedGoodsEntity, goods);
    return em.findOneByOrFail(RefusedGoodsEntity, { id: goods.id });
  }

  /** A page of refused goods, newest recorded first (seq descending). */
  async pageRefused(f: { dealer?: string; after?: string; limit: number }): Promise<Page<RefusedGoodsEntity>> {
    const qb = this.db
      .getRepository(RefusedGoodsEntity)
      .createQueryBuilder('g')
      .orderBy('g.seq', 'DESC')
      .limit(f.limit + 1);
    if (f.dealer) qb.andWhere('g.dealerCode = :dealer', { dealer: f.dealer });
    if (f.after !== undefined) qb.andWhere('g.seq < :after', { after: f.after });
    return toPage(await qb.getMany(), f.limit, (g) => String(g.seq));
  }
}
