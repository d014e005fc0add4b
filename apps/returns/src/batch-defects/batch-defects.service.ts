import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService, Principal, validationProblem } from '@app/platform';
import { BatchDefectEntity } from './batch-defect.entity';
import { BatchDefectView, DeclareBatchDefectDto } from './batch-defect.dto';

export function toBatchDefectView(d: BatchDefectEntity): BatchDefectView {
  return {
    id: d.id,
    model: d.model,
    serialFrom: d.serialFrom,
    serialTo: d.serialTo,
    reason: d.reason,
    declaredBy: d.declaredBy,
    declaredAt: d.declaredAt.toISOString(),
  };
}

/** Batches after-sales declared defective (R-RET-2 BATCH_DEFECT). */
@Injectable()
export class BatchDefectsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async declare(dto: DeclareBatchDefectDto, actor: Principal): Promise<BatchDefectView> {
    if (dto.serialFrom.length !== dto.serialTo.length) {
      throw validationProblem([
        { field: 'serialTo', rule: 'R-RET-2', message: 'serialTo must have the same length as serialFrom' },
      ]);
    }
    if (dto.serialFrom > dto.serialTo) {
      throw validationProblem([
        { field: 'serialTo', rule: 'R-RET-2', message: 'serialTo must not come before serialFrom' },
      ]);
    }
    const id = randomUUID();
    return this.db.transaction(async (em) => {
      await em.insert(BatchDefectEntity, {
        id,
        model: dto.model,
        serialFrom: dto.serialFrom,
        serialTo: dto.serialTo,
        reason: dto.reason,
        declaredBy: actor.sub,
      });
      await this.audit.record(em, {
        action: 'batch-defect.declared',
        entityType: 'batch-defect',
        entityId: id,
        details: { model: dto.model, serialFrom: dto.serialFrom, serialTo: dto.serialTo, reason: dto.reason },
      });
      return toBatchDefectView(await em.findOneByOrFail(BatchDefectEntity, { id }));
    });
  }

  /** Declarations of the given models, oldest first (the first match wins). */
  forModels(models: string[], em: EntityManager = this.db.manager): Promise<BatchDefectEntity[]> {
    if (models.length === 0) return Promise.resolve([]);
    return em
      .createQueryBuilder(BatchDefectEntity, 'b')
      .where('b.model IN (:...models)', { models })
      .orderBy('b.seq', 'ASC')
      .getMany();
  }

  async list(): Promise<BatchDefectView[]> {
    const rows = await this.db.getRepository(BatchDefectEntity).find({ order: { seq: 'ASC' }, take: 1000 });
    return rows.map(toBatchDefectView);
  }
}
