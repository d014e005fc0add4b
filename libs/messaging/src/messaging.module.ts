import { DynamicModule, Module } from '@nestjs/common';
import { intervalJob, issueToken, SERVICE_CONFIG, ServiceConfig } from '@app/platform';
import { AuditChainHeadsPublisher } from './audit-chain-heads/audit-chain-heads.publisher';
import { EventConsumer } from './event-consumer';
import { EventFeedController } from './event-feed/event-feed.controller';
import { EventFeedRepository } from './event-feed/event-feed.repository';
import { EventReplayController } from './event-feed/event-replay.controller';
import { EventReplayService } from './event-feed/event-replay.service';
import { MessagingMetrics } from './messaging.metrics';
import { EventHandlerRegistry } from './event-handler.registry';
import { KafkaClients } from './kafka-clients';
import { MessagingHealthIndicator } from './messaging.health';
import { MessagingLifecycle } from './messaging.lifecycle';
import { MESSAGING_OPTIONS, MessagingOptions, resolveMessagingOptions } from './messaging.options';
import { MessagingService } from './messaging.service';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';

/** DI token of the IntervalJob that publishes the daily audit-chain heads. */
export const AUDIT_CHAIN_HEAD_JOB = 'MESSAGING_AUDIT_CHAIN_HEAD_JOB';

/** Every AUDIT_CHAIN_HEAD_MS (default 10 minutes, 0 = off): the heads of ended days not yet published. */
const chainHeadJob = intervalJob<[ServiceConfig, AuditChainHeadsPublisher]>(
  AUDIT_CHAIN_HEAD_JOB,
  'audit chain heads',
  [SERVICE_CONFIG, AuditChainHeadsPublisher],
  (config) => config.auditChainHeadMs,
  (_config, publisher) => publisher.publishDue(),
);

/**
 * Kafka for a service: transactional outbox + relay, idempotent inbox consumer, dead letters,
 * and the event feed (what the service published, by sequence) that consumers fill gaps from.
 * Needs TypeORM's DataSource (TypeOrmModule.forRoot with messagingEntities and
 * messagingMigrations) and nestjs-cls' ClsService (ClsModule global).
 */
@Module({})
export class MessagingModule {
  /**
   * The options every service uses, from its validated configuration; with the daily audit-chain
   * heads (needs PlatformModule and ClockModule).
   */
  static forService(config: ServiceConfig): DynamicModule {
    const base = MessagingModule.forRoot({
      serviceName: config.serviceName,
      brokers: config.kafka.brokers,
      idempotentProducer: config.kafka.idempotentProducer,
      fetchMaxWaitMs: config.kafka.fetchMaxWaitMs,
      outboxRetentionMs: config.outboxRetentionDays * 24 * 3600_000,
      gapCheckMs: config.eventFeed.gapCheckMs,
      eventFeed: { sources: config.eventFeed.sources, token: feedToken(config) },
    });
    return {
      ...base,
      providers: [...(base.providers ?? []), AuditChainHeadsPublisher, chainHeadJob],
      exports: [...(base.exports ?? []), AuditChainHeadsPublisher],
    };
  }

  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      controllers: [EventFeedController, EventReplayController],
      providers: [
        MessagingMetrics,
        EventFeedRepository,
        EventReplayService,
        { provide: MESSAGING_OPTIONS, useValue: resolveMessagingOptions(options) },
        KafkaClients,
        OutboxService,
        OutboxRelay,
        EventHandlerRegistry,
        MessagingService,
        EventConsumer,
        MessagingHealthIndicator,
        MessagingLifecycle,
      ],
      exports: [
        OutboxService,
        MessagingService,
        MessagingHealthIndicator,
        OutboxRelay,
        EventConsumer,
        MESSAGING_OPTIONS,
      ],
    };
  }
}

/**
 * The bearer token for producers' feeds: the configured one, or (with a shared HS256 secret) one
 * the service signs for itself as a read-only principal, renewed before it expires.
 */
function feedToken(config: ServiceConfig): () => string | undefined {
  if (config.eventFeed.token) {
    const token = config.eventFeed.token;
    return () => token;
  }
  const secret = config.auth.jwtSecret;
  if (!secret) return () => undefined;
  let cached: { token: string; until: number } | undefined;
  return () => {
    if (!cached || Date.now() > cached.until) {
      const token = issueToken(secret, { sub: `service:${config.serviceName}`, role: 'auditor' }, '15m', {
        issuer: config.auth.issuer,
        audience: config.auth.audience,
      });
      cached = { token, until: Date.now() + 10 * 60_000 };
    }
    return cached.token;
  };
}
