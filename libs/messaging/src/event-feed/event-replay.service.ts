import { Inject, Injectable } from '@nestjs/common';
import { producerOfTopic } from '@app/contracts';
import { DataSource } from 'typeorm';
import { fieldErrorOf, validationProblem } from '@app/platform';
import { GapView } from '../consumer/gap-ledger';
import { EventConsumer, MessageOutcome } from '../event-consumer';
import { EventHandlerRegistry } from '../event-handler.registry';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from '../messaging.options';
import { EventFeedClient } from './event-feed.client';
import { EventFeedUnavailableProblem } from './event-feed-unavailable.problem';

export interface ReplayResult {
  topic: string;
  partition: number;
  fromSeq: number;
  /** Where a further call continues; null when the range is done. */
  nextSeq: number | null;
  counts: Record<MessageOutcome, number>;
  acknowledgedGaps: number;
}

/**
 * An operator's replay: fetches a range of a consumed partition from its producer and runs each
 * event through the consumer again. The inbox keeps it exactly-once: an applied event stays
 * applied once; a dead-lettered one is applied again only when asked (after its cause was fixed).
 */
@Injectable()
export class EventReplayService {
  private readonly feed: EventFeedClient;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly consumer: EventConsumer,
    private readonly handlers: EventHandlerRegistry,
    private readonly dataSource: DataSource,
  ) {
    this.feed = new EventFeedClient(options.eventFeed);
  }

  async replay(request: {
    topic: string;
    partition: number;
    fromSeq: number;
    toSeq?: number;
    limit?: number;
    retryDeadLettered?: boolean;
    acknowledgeLost?: boolean;
  }): Promise<ReplayResult> {
    const { topic, partition, fromSeq } = request;
    if (!this.handlers.topics().includes(topic)) {
      const topics = this.handlers.topics().join(', ') || { key: 'reasons.eventFeed.noTopic' };
      const why = { key: 'reasons.eventFeed.consumedTopics', args: { topics } };
      throw validationProblem([fieldErrorOf('topic', 'consumedTopic', why)]);
    }
    const toSeq = request.toSeq ?? Number.MAX_SAFE_INTEGER;
    const limit = request.limit ?? 200;
    const counts: Record<MessageOutcome, number> = { applied: 0, duplicate: 0, skipped: 0, 'dead-lettered': 0 };
    const progress = { heartbeat: async () => undefined, isRunning: () => true };
    const producer = producerOfTopic(topic);
    const page = await this.feed.page(producer, topic, partition, fromSeq, toSeq, limit).catch((err: unknown) => {
      throw new EventFeedUnavailableProblem(producer, err);
    });
    for (const item of page.items) {
      if (request.retryDeadLettered) {
        await this.dataSource.query(
          `DELETE FROM inbox_processed_events WHERE consumer_group = $1 AND event_id = $2 AND outcome = 'dead-lettered'`,
          [this.options.consumerGroupId, item.eventId],
        );
      }
      const outcome = await this.consumer.runExclusive(topic, partition, () =>
        this.consumer.process(
          { topic, partition, seq: item.seq, offset: 'feed', key: item.key, headers: item.headers, value: item.value },
          progress,
          { replay: true },
        ),
      );
      counts[outcome]++;
    }
    const last = page.items.at(-1)?.seq;
    const done = !page.more || last === undefined || last >= toSeq;
    const acknowledgedGaps = request.acknowledgeLost ? await this.consumer.gaps.acknowledgeLost(topic, partition) : 0;
    return {
      topic,
      partition,
      fromSeq,
      nextSeq: done || last === undefined ? null : last + 1,
      counts,
      acknowledgedGaps,
    };
  }

  gaps(limit: number): Promise<GapView[]> {
    return this.consumer.gaps.list(limit);
  }
}
