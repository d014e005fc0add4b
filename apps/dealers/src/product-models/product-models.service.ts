import { Injectable } from '@nestjs/common';
import { IDENTIFIER_TEXT } from '@app/contracts';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditLogService,
  decodePageCursor,
  notFoundProblem,
  Page,
  Principal,
  toPage,
  validationProblem,
} from '@app/platform';
import { MODEL_PATTERN, ProductModelView, PutProductModelDto } from './product-model.dto';
import { ProductModelEntity } from './product-model.entity';

function toView(m: ProductModelEntity): ProductModelView {
  return {
    model: m.model,
    name: m.name,
    category: m.category,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function normaliseModelCode(raw: string): string {
  const model = raw.trim().toUpperCase();
  if (!MODEL_PATTERN.test(model)) {
    throw validationProblem([
      { field: 'model', rule: 'pattern', message: `model must be ${IDENTIFIER_TEXT.modelCode}` },
    ]);
  }
  return model;
}

@Injectable()
export class ProductModelsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  /** Creates or updates a catalogue entry; `created` tells which. */
  async put(
    rawModel: string,
    dto: PutProductModelDto,
    actor: Principal,
  ): Promise<{ created: boolean; view: ProductModelView }> {
    const model = normaliseModelCode(rawModel);
    return this.db.transaction(async (em) => {
      const rows: Array<{ created: boolean }> = await em.query(
        `INSERT INTO product_models (model, name, category, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING (xmax = 0) AS created`,
        [model, dto.name, dto.category ?? null, actor.sub],
      );
      const created = rows[0].created;
      await this.audit.record(em, {
        action: created ? 'product-model.created' : 'product-model.updated',
        entityType: 'product-model',
        entityId: model,
        details: { name: dto.name, category: dto.category ?? null },
      });
      return { created, view: toView(await em.findOneByOrFail(ProductModelEntity, { model })) };
    });
  }

  async get(rawModel: string): Promise<ProductModelView> {
    const model = normaliseModelCode(rawModel);
    const found = await this.db.getRepository(ProductModelEntity).findOneBy({ model });
    if (!found) throw notFoundProblem(`Product model ${model} is not in the catalogue.`);
    return toView(found);
  }

  async list(limit: number, cursor?: string): Promise<Page<ProductModelView>> {
    const after = decodePageCursor(cursor);
    const qb = this.db
      .getRepository(ProductModelEntity)
      .createQueryBuilder('m')
      .orderBy('m.model', 'ASC')
      .limit(limit + 1);
    if (after !== undefined) qb.where('m.model > :after', { after });
    const page = toPage(await qb.getMany(), limit, (m) => m.model);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  /** Which of `models` are in the catalogue (one query for a whole batch). */
  async knownAmong(models: Iterable<string>, em?: EntityManager): Promise<Set<string>> {
    const list = [...new Set(models)];
    if (list.length === 0) return new Set();
    const rows: Array<{ model: string }> = await (em ?? this.db.manager).query(
      'SELECT model FROM product_models WHERE model = ANY($1::text[])',
      [list],
    );
    return new Set(rows.map((r) => r.model));
  }
}
