import { InboxProcessedEventEntity } from './entities/inbox-processed-event.entity';
import { OutboxMessageEntity } from './entities/outbox-message.entity';
import { MessagingOutbox1767225600000 } from './migrations/1767225600000-messaging-outbox';
import { MessagingInbox1767225600001 } from './migrations/1767225600001-messaging-inbox';
import { OutboxEnvelopeText1767225600002 } from './migrations/1767225600002-outbox-envelope-text';
import { OutboxEnvelopeLz41767225600003 } from './migrations/1767225600003-outbox-envelope-lz4';
import { EventSequences1767225600004 } from './migrations/1767225600004-event-sequences';

export {
  InboxProcessedEventEntity,
  OutboxMessageEntity,
  MessagingOutbox1767225600000,
  MessagingInbox1767225600001,
  OutboxEnvelopeText1767225600002,
  OutboxEnvelopeLz41767225600003,
  EventSequences1767225600004,
};
/** Add to the app's TypeORM `entities`. */
export const messagingEntities = [OutboxMessageEntity, InboxProcessedEventEntity];
/** Add to the app's TypeORM `migrations` (they sort before the app's own). */
export const messagingMigrations = [
  MessagingOutbox1767225600000,
  MessagingInbox1767225600001,
  OutboxEnvelopeText1767225600002,
  OutboxEnvelopeLz41767225600003,
  EventSequences1767225600004,
];

export { AUDIT_CHAIN_HEAD_JOB, MessagingModule } from './messaging.module';
export { AuditChainHeadsPublisher, CHAIN_HEAD_DAYS_PER_RUN } from './audit-chain-heads/audit-chain-heads.publisher';
export type { AuditChainHeadSink } from './audit-chain-heads/audit-chain-heads.publisher';
export type { EventFeedOptions, MessagingOptions, RetryPolicy } from './messaging.options';
export { MESSAGING_OPTIONS, outboxChannel } from './messaging.options';
export type { EnvelopeContext, OutgoingEvent, Queryable } from './outbox.service';
export { OutboxService, buildEnvelope, envelopeHeaders, insertOutboxRows } from './outbox.service';
export { OutboxRelay } from './outbox-relay';
export { MessagingService } from './messaging.service';
export type { EventHandler } from './event-handler.registry';
export { EventHandlerRegistry } from './event-handler.registry';
export type { Delivery, MessageOutcome } from './event-consumer';
export { EventConsumer } from './event-consumer';
export type { MessagingHealth } from './messaging.health';
export { MessagingHealthIndicator } from './messaging.health';
export type { DeadLetterRecord } from './dead-letter';
export { DLQ_REASON_HEADER, buildDeadLetter } from './dead-letter';
export { retryDelays } from './retry';
export { HEADER_EVENT_SEQ } from './outbox.service';
export { classifyFailure } from './failure-kind';
export type { FailureKind } from './failure-kind';
export type { GapView } from './consumer/gap-ledger';
export type { FeedItem, FeedPage, FeedHead } from './event-feed/event-feed.repository';
export { MessagingMetrics } from './messaging.metrics';
