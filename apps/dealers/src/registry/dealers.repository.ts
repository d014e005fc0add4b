import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DealerEntity } from './dealer.entity';

export type NewDealer = Pick<DealerEntity, 'code' | 'name' | 'region' | 'status'>;

/** The dealers table: the registry writes it; other features lock a dealer's row while they check closed months. */
@Injectable()
export class DealersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts the dealer unless its code is taken; the stored row, or null when it was taken. */
  async insertNew(em: EntityManager, dealer: NewDealer): Promise<DealerEntity | null> {
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(DealerEntity)
      .values(dealer)
      .orIgnore()
      .returning('*')
      .execute();
    if (inserted.raw.length === 0) return null;
    return em.findOneByOrFail(DealerEntity, { code: dealer.code });
  }

  findByCode(code: string, em: EntityManager = this.db.manager): Promise<DealerEntity | null> {
    return em.getRepository(DealerEntity).findOneBy({ code });
  }

  /** True when a dealer (or, since codes are shared, an outlet name) uses the code. */
  async exists(code: string, em: EntityManager = this.db.manager): Promise<boolean> {
    const rows: unknown[] = await em.query('SELECT 1 FROM dealers WHERE code = $1', [code]);
    return rows.length > 0;
  }

  /** Up to `limit + 1` dealers by code after the cursor key. */
  page(limit: number, after?: string): Promise<DealerEntity[]> {
    const qb = this.db
      .getRepository(DealerEntity)
      .createQueryBuilder('d')
      .orderBy('d.code', 'ASC')
      .limit(limit + 1);
    if (after !== undefined) qb.where('d.code > :after', { after });
    return qb.getMany();
  }

  /**
   * FOR SHARE on the dealer: a QuarterApproved being applied (FOR UPDATE) either commits before
   * the caller reads closed_months, or waits until the caller's transaction is in. False when
   * there is no such dealer.
   */
  async lockShared(em: EntityManager, code: string): Promise<boolean> {
    const rows: unknown[] = await em.query('SELECT 1 FROM dealers WHERE code = $1 FOR SHARE', [code]);
    return rows.length > 0;
  }

  /** FOR UPDATE on the dealer: serialises changes that must not overlap (closings, agreement versions). */
  async lockExclusive(em: EntityManager, code: string): Promise<void> {
    await em.query('SELECT 1 FROM dealers WHERE code = $1 FOR UPDATE', [code]);
  }
}
