import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BatchDefectEntity } from './batch-defect.entity';

export type NewBatchDefect = Pick<
  BatchDefectEntity,
  'id' | 'model' | 'serialFrom' | 'serialTo' | 'reason' | 'declaredBy'
>;

/** Batches after-sales declared defective (R-RET-2 BATCH_DEFECT). */
@Injectable()
export class BatchDefectsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Stores the declaration and reads it back with what the database set (seq, declaredAt). */
  async insert(em: EntityManager, defect: NewBatchDefect): Promise<BatchDefectEntity> {
    await em.insert(BatchDefectEntity, defect);
    return em.findOneByOrFail(BatchDefectEntity, { id: defect.id });
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

  /** The first 1000 declarations, oldest first. */
  list(): Promise<BatchDefectEntity[]> {
    return this.db.getRepository(BatchDefectEntity).find({ order: { seq: 'ASC' }, take: 1000 });
  }
}
