import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLogService, fieldErrorOf, Principal, validationProblem } from '@app/platform';
import { BatchDefectEntity } from './batch-defect.entity';
import { BatchDefectView, DeclareBatchDefectDto } from './batch-defect.dto';
import { BatchDefectsRepository } from './batch-defects.repository';

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
    private readonly defects: BatchDefectsRepository,
    private readonly audit: AuditLogService,
  ) {}

  async declare(dto: DeclareBatchDefectDto, actor: Principal): Promise<BatchDefectView> {
    if (dto.serialFrom.length !== dto.serialTo.length) {
      throw validationProblem([fieldErrorOf('serialTo', 'R-RET-2', { key: 'reasons.returns.serialLength' })]);
    }
    if (dto.serialFrom > dto.serialTo) {
      throw validationProblem([fieldErrorOf('serialTo', 'R-RET-2', { key: 'reasons.returns.serialOrder' })]);
    }
    const id = randomUUID();
    return this.db.transaction(async (em) => {
      const stored = await this.defects.insert(em, {
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
      return toBatchDefectView(stored);
    });
  }

  async list(): Promise<BatchDefectView[]> {
    return (await this.defects.list()).map(toBatchDefectView);
  }
}
