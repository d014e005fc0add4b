import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  DealersAuditChainHeadPublished,
  RequisitionsAuditChainHeadPublished,
  ReturnsAuditChainHeadPublished,
} from '@app/contracts';
import { AuditChainHeadsPublisher, MessagingService } from '@app/messaging';
import { ConsumedEventsRepository } from '../projections/consumed-events.repository';
import { on, registerProjection } from '../projections/projection-table';
import { AuditChainHeadsRepository } from './audit-chain-heads.repository';

/**
 * The daily audit-chain heads of the other services (their events) and of settlement itself
 * (kept by its publisher in the transaction that publishes them).
 */
@Injectable()
export class AuditChainHeadsProjection implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly consumed: ConsumedEventsRepository,
    private readonly heads: AuditChainHeadsRepository,
    private readonly publisher: AuditChainHeadsPublisher,
  ) {}

  onModuleInit(): void {
    const keep = this.heads.keep.bind(this.heads);
    registerProjection(this.messaging, this.consumed, [
      on(DealersAuditChainHeadPublished, (event, em) => keep(em, event.payload)),
      on(RequisitionsAuditChainHeadPublished, (event, em) => keep(em, event.payload)),
      on(ReturnsAuditChainHeadPublished, (event, em) => keep(em, event.payload)),
    ]);
    this.publisher.keepHeadsWith(keep);
  }
}
