import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AUDIT_CHAIN_HEAD_EVENTS,
  AUDIT_CHAIN_KEY,
  AuditChainHeadPublishedPayload,
  AuditChainService,
} from '@app/contracts';
import { addDays, shanghaiDate } from '@app/kernel';
import { AuditChainRepository, Clock, SERVICE_CONFIG, ServiceConfig } from '@app/platform';
import { OutboxService } from '../outbox.service';

/** Days published per run at most; a service far behind catches up over the next runs. */
export const CHAIN_HEAD_DAYS_PER_RUN = 31;

/** Also keeps each head in the publishing service, in the same transaction (settlement keeps its own so). */
export type AuditChainHeadSink = (em: EntityManager, head: AuditChainHeadPublishedPayload) => Promise<void>;

const startOfShanghaiDay = (day: string): Date => new Date(`${day}T00:00:00+08:00`);

/**
 * Publishes the head of this service's audit-log chain for every ended day (Asia/Shanghai) not
 * published yet, through the outbox, once per day: audit_chain_days records the day in the same
 * transaction, so a second instance or a second run finds it taken and publishes nothing.
 */
@Injectable()
export class AuditChainHeadsPublisher {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly chain: AuditChainRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  private sink?: AuditChainHeadSink;

  /** Register in onModuleInit: every head published is also handed to `sink` in its transaction. */
  keepHeadsWith(sink: AuditChainHeadSink): void {
    this.sink = sink;
  }

  /** Publishes the heads of the ended days not yet published; returns them. */
  async publishDue(): Promise<AuditChainHeadPublishedPayload[]> {
    const yesterday = addDays(shanghaiDate(this.clock.now()), -1);
    const published: AuditChainHeadPublishedPayload[] = [];
    let day = await this.firstDueDay();
    while (day !== null && day <= yesterday && published.length < CHAIN_HEAD_DAYS_PER_RUN) {
      const head = await this.publishDay(day);
      if (head) published.push(head);
      day = addDays(day, 1);
    }
    return published;
  }

  private async firstDueDay(): Promise<string | null> {
    const em = this.dataSource.manager;
    const last = await this.chain.lastPublishedDay(em);
    if (last) return addDays(last, 1);
    const first = await this.chain.firstOccurredAt(em);
    return first ? shanghaiDate(first) : null;
  }

  private publishDay(day: string): Promise<AuditChainHeadPublishedPayload | null> {
    const service = this.config.serviceName as AuditChainService;
    return this.dataSource.transaction(async (em) => {
      const head = await this.chain.dayHead(em, startOfShanghaiDay(day), startOfShanghaiDay(addDays(day, 1)));
      const payload = { service, day, lastId: head.lastId, headHash: head.hash, count: head.count };
      const fresh = await this.chain.markDayPublished(em, {
        day,
        lastId: head.lastId,
        headHash: head.hash,
        count: head.count,
      });
      if (!fresh) return null;
      await this.outbox.enqueue(em, [
        { definition: AUDIT_CHAIN_HEAD_EVENTS[service], dealerCode: AUDIT_CHAIN_KEY, payload },
      ]);
      await this.sink?.(em, payload);
      return payload;
    });
  }
}
