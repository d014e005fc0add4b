import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ProductModelEntity } from './product-model.entity';

export type ProductModelFields = Pick<ProductModelEntity, 'model' | 'name' | 'category' | 'updatedBy'>;

@Injectable()
export class ProductModelsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Creates or updates the entry; `created` tells which. */
  async upsert(em: EntityManager, m: ProductModelFields): Promise<{ created: boolean; row: ProductModelEntity }> {
    const rows: Array<{ created: boolean }> = await em.query(
      `INSERT INTO product_models (model, name, category, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (model) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [m.model, m.name, m.category, m.updatedBy],
    );
    return { created: rows[0].created, row: await em.findOneByOrFail(ProductModelEntity, { model: m.model }) };
  }

  findByModel(model: string): Promise<ProductModelEntity | null> {
    return this.db.getRepository(ProductModelEntity).findOneBy({ model });
  }

  /** Up to `limit + 1` entries by model code after the cursor key. */
  page(limit: number, after?: string): Promise<ProductModelEntity[]> {
    const qb = this.db
      .getRepository(ProductModelEntity)
      .createQueryBuilder('m')
      .orderBy('m.model', 'ASC')
      .limit(limit + 1);
    if (after !== undefined) qb.where('m.model > :after', { after });
    return qb.getMany();
  }

  /** Every model code of the catalogue, in order. */
  async allModels(): Promise<string[]> {
    const rows: Array<{ model: string }> = await this.db.query('SELECT model FROM product_models ORDER BY model');
    return rows.map((r) => r.model);
  }

  /** Which of `models` (distinct) are in the catalogue, in one query. */
  async knownAmong(models: string[], em: EntityManager = this.db.manager): Promise<Set<string>> {
    const rows: Array<{ model: string }> = await em.query(
      'SELECT model FROM product_models WHERE model = ANY($1::text[])',
      [models],
    );
    return new Set(rows.map((r) => r.model));
  }
}
