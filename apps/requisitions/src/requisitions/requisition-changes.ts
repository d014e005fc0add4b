import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { EventDefinition } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Principal } from '@app/platform';
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
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
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

  /** What a change tells, in its transaction: its event (through the outbox) and its audit entry. */
  async publish<P>(
    em: EntityManager,
    r: LoadedRequisition,
    event: { definition: EventDefinition<P>; payload: P },
    audit: { action: string; details: Record<string, unknown> },
  ): Promise<void> {
    await this.outbox.enqueue(em, [{ definition: event.definition, dealerCode: r.dealerCode, payload: event.payload }]);
    await this.audit.record(em, {
      action: audit.action,
      entityType: 'requisition',
      entityId: r.id,
      dealerCode: r.dealerCode,
      details: audit.details,
    });
  }
}
