import { IsIn, IsInt, Matches, Min } from 'class-validator';
import { defineEvent, EventDefinition } from '../event-definition';
import { Topics } from '../topics';
import { DATE_REGEX } from './common';

export const AUDIT_CHAIN_SERVICES = ['dealers', 'requisitions', 'returns', 'settlement'] as const;
export type AuditChainService = (typeof AUDIT_CHAIN_SERVICES)[number];

/** The message key of chain-head events (they concern no dealer). */
export const AUDIT_CHAIN_KEY = 'AUDIT-CHAIN';

/**
 * The head of a service's audit-log hash chain at the end of a day (Asia/Shanghai): the last
 * entry's id and hash, and how many entries the day added. Published once per service and day.
 */
export class AuditChainHeadPublishedPayload {
  @IsIn(AUDIT_CHAIN_SERVICES) service!: AuditChainService;
  @Matches(DATE_REGEX) day!: string;
  /** 0 while the log is empty. */
  @Matches(/^\d{1,18}$/) lastId!: string;
  @Matches(/^[0-9a-f]{64}$/) headHash!: string;
  @IsInt() @Min(0) count!: number;
}

const headOn = (service: AuditChainService): EventDefinition<AuditChainHeadPublishedPayload> =>
  defineEvent({
    // One type per producer: a type travels on one topic, and every service has its own.
    type: `${service[0].toUpperCase()}${service.slice(1)}AuditChainHeadPublished`,
    version: 1,
    topic: Topics[service],
    payload: AuditChainHeadPublishedPayload,
  });

export const DealersAuditChainHeadPublished = headOn('dealers');
export const RequisitionsAuditChainHeadPublished = headOn('requisitions');
export const ReturnsAuditChainHeadPublished = headOn('returns');
export const SettlementAuditChainHeadPublished = headOn('settlement');

/** The chain-head event a service publishes on its own topic. */
export const AUDIT_CHAIN_HEAD_EVENTS: Record<AuditChainService, EventDefinition<AuditChainHeadPublishedPayload>> = {
  dealers: DealersAuditChainHeadPublished,
  requisitions: RequisitionsAuditChainHeadPublished,
  returns: ReturnsAuditChainHeadPublished,
  settlement: SettlementAuditChainHeadPublished,
};

export const auditChainEvents = Object.values(AUDIT_CHAIN_HEAD_EVENTS);
