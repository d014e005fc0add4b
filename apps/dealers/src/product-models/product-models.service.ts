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
import { ProductModelsRepository } from './product-models.repository';

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
    private readonly models: ProductModelsRepository,
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
      const category = dto.category ?? null;
      const { created, row } = await this.models.upsert(em, { model, name: dto.name, category, updatedBy: actor.sub });
      await this.audit.record(em, {
        action: created ? 'product-model.created' : 'product-model.updated',
        entityType: 'product-model',
        entityId: model,
        details: { name: dto.name, category },
      });
      return { created, view: toView(row) };
    });
  }

  async get(rawModel: string): Promise<ProductModelView> {
    const model = normaliseModelCode(rawModel);
    const found = await this.models.findByModel(model);
    if (!found) throw notFoundProblem(`Product model ${model} is not in the catalogue.`);
    return toView(found);
  }

  async list(limit: number, cursor?: string): Promise<Page<ProductModelView>> {
    const page = toPage(await this.models.page(limit, decodePageCursor(cursor)), limit, (m) => m.model);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  /** The catalogue's model codes (the upload template's drop-down list). */
  allModels(): Promise<string[]> {
    return this.models.allModels();
  }

  /** Which of `models` are in the catalogue (one query for a whole batch). */
  async knownAmong(models: Iterable<string>, em?: EntityManager): Promise<Set<string>> {
    const list = [...new Set(models)];
    if (list.length === 0) return new Set();
    return this.models.knownAmong(list, em);
  }
}
