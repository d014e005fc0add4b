import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@app/platform';
import { RequisitionStatus, RequisitionView } from './requisition.dto';
import { LoadedRequisition, RequisitionsRepository } from './requisitions.repository';
import { RequisitionsService } from './requisitions.service';

/**
 * The frame of every change of a requisition (approval, shipment, old-part receipt): in one
 * transaction, lock it in the status the change starts from (404, or `wrongState`, otherwise) and
 * apply the change; then answer with the requisition as the caller sees it.
 */
@Injectable()
export class RequisitionChanges {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly requisitions: RequisitionsRepository,
    private readonly reads: RequisitionsService,
  ) {}

  async apply(
    id: string,
    principal: Principal,
    from: { status: RequisitionStatus; wrongState: (r: LoadedRequisition) => Error },
    change: (em: EntityManager, r: LoadedRequisition) => Promise<void>,
  ): Promise<RequisitionView> {
    await this.db.transaction(async (em) => {
      const r = await this.requisitions.lockInState(em, id, from.status, from.wrongState);
      await change(em, r);
    });
    return this.reads.get(id, principal);
  }
}
