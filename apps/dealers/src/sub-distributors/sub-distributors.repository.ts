import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SubDistributorEntity } from './sub-distributor.entity';

export type NewSubDistributor = Pick<SubDistributorEntity, 'code' | 'dealerCode' | 'name' | 'region' | 'createdBy'>;

@Injectable()
export class SubDistributorsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts the sub-distributor unless its code is taken; the stored row, or null when it was taken. */
  async insertNew(em: EntityManager, s: NewSubDistributor): Promise<SubDistributorEntity | null> {
    const inserted: unknown[] = await em.query(
      `INSERT INTO sub_distributors (code, dealer_code, name, region, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [s.code, s.dealerCode, s.name, s.region, s.createdBy],
    );
    return inserted.length === 0 ? null : em.findOneByOrFail(SubDistributorEntity, { code: s.code });
  }

  listOf(dealerCode: string): Promise<SubDistributorEntity[]> {
    return this.db.getRepository(SubDistributorEntity).find({ where: { dealerCode }, order: { code: 'ASC' } });
  }

  async codesOf(dealerCode: string, em: EntityManager = this.db.manager): Promise<string[]> {
    const rows: Array<{ code: string }> = await em.query('SELECT code FROM sub_distributors WHERE dealer_code = $1', [
      dealerCode,
    ]);
    return rows.map((r) => r.code);
  }
}
