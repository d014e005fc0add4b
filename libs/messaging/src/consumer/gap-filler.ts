import { producerOfTopic } from '@app/contracts';
import { Logger } from '@nestjs/common';
import { EventFeedClient, FeedSourceMissingError } from '../event-feed/event-feed.client';
import { backoffDelay, errorMessage } from '../retry';
import { ConsumerPositions } from './consumer-positions';
import { partitionKey, Progress } from './delivery';
import { GapLedger } from './gap-ledger';
import { MessageProcessor } from './message-processor';
import { OutageWait, TRANSIENT_BACKOFF_CAP_MS } from './outage-wait';
import { PartitionLocks } from './partition-locks';

/** Events fetched per request while filling a gap. */
const FILL_PAGE = 200;
/** First wait before asking an unreachable producer again. */
const FEED_RETRY_INITIAL_MS = 500;

/** A stretch of one partition's sequence numbers. */
interface SeqRange {
  topic: string;
  partition: number;
  fromSeq: number;
  toSeq: number;
}

/**
 * What the broker lost is fetched from the producer's event feed and applied in order: a gap
 * seen in the stream, or a lost tail that only the producer's head reveals.
 */
export class GapFiller {
  constructor(
    private readonly feed: EventFeedClient,
    private readonly gaps: GapLedger,
    private readonly positions: ConsumerPositions,
    private readonly locks: PartitionLocks,
    private readonly processor: MessageProcessor,
    private readonly outage: OutageWait,
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {}

  /**
   * Fetches `fromSeq..toSeq` of a partition from its producer's event feed and applies it in
   * order. Waits (heartbeating) while the producer cannot be reached: the partition does not move
   * on without them. What the producer no longer keeps is recorded as lost.
   */
  async fill(range: SeqRange, progress: Progress, cause: string): Promise<void> {
    const { topic, partition, fromSeq, toSeq } = range;
    const gapId = await this.outage.untilStored(
      () => this.gaps.opened(topic, partition, fromSeq, toSeq, cause),
      progress,
    );
    let cursor = fromSeq;
    let filled = 0;
    const lostRanges: string[] = [];
    let lost = 0;
    const lose = (to: number): void => {
      lostRanges.push(cursor === to ? `${cursor}` : `${cursor}..${to}`);
      lost += to - cursor + 1;
      this.positions.passed(topic, partition, to);
      cursor = to + 1;
    };
    while (cursor <= toSeq) {
      const page = await this.fetchPage(gapId, { topic, partition, fromSeq: cursor, toSeq }, progress);
      for (const item of page.items) {
        if (item.seq < cursor) continue;
        if (item.seq > cursor) lose(item.seq - 1);
        const { seq, key, headers, value } = item;
        await this.processor.process({ topic, partition, seq, offset: 'feed', key, headers, value }, progress);
        filled++;
        cursor = item.seq + 1;
        await progress.heartbeat();
      }
      if (!page.more && cursor <= toSeq) lose(toSeq);
    }
    await this.outage.untilStored(() => this.positions.flush(topic, partition), progress);
    await this.outage.untilStored(() => this.gaps.closed(gapId, filled, lost, lostRanges), progress);
  }

  /** One page of the range, asking again (with backoff) until the producer answers. */
  private async fetchPage(gapId: string, range: SeqRange, progress: Progress) {
    const { topic, partition, fromSeq, toSeq } = range;
    const producer = producerOfTopic(topic);
    let lastReason: string | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const page = await this.feed.page(producer, topic, partition, fromSeq, toSeq, FILL_PAGE);
        this.gaps.waiting(gapId, undefined);
        return page;
      } catch (err) {
        const reason =
          err instanceof FeedSourceMissingError
            ? err.message
            : `event feed of ${producer} unreachable: ${errorMessage(err)}`;
        this.gaps.waiting(gapId, reason);
        if (reason !== lastReason)
          this.logger.warn(`filling ${topic}[${partition}] ${fromSeq}..${toSeq}: ${reason}; retrying`);
        lastReason = reason;
        await this.outage.pause(backoffDelay(attempt, FEED_RETRY_INITIAL_MS, TRANSIENT_BACKOFF_CAP_MS), progress);
      }
    }
  }

  /**
   * The lost tail: messages lost at the end of a partition show no later number. Each quiet
   * partition of the assignment is compared with its producer's settled head.
   */
  async fillTails(
    assignment: Record<string, number[]>,
    isQuiet: (topic: string, partition: number) => boolean,
    progress: Progress,
  ): Promise<void> {
    for (const [topic, partitions] of Object.entries(assignment)) {
      const producer = producerOfTopic(topic);
      if (!this.feed.hasSource(producer)) continue;
      const heads = await this.feed.heads(producer, topic, this.graceMs);
      for (const partition of partitions) {
        if (!isQuiet(topic, partition)) continue;
        const head = heads.find((h) => h.partition === partition)?.settledSeq ?? 0;
        await this.fillTail(topic, partition, head, progress);
      }
    }
  }

  private async fillTail(topic: string, partition: number, head: number, progress: Progress): Promise<void> {
    if (head < (await this.positions.next(topic, partition))) return;
    await this.locks.run(partitionKey(topic, partition), async () => {
      // The stream may have moved on while the lock was awaited.
      const next = await this.positions.next(topic, partition);
      if (head < next) return;
      const cause = `the producer published up to ${head} and nothing after ${next - 1} arrived`;
      await this.fill({ topic, partition, fromSeq: next, toSeq: head }, progress, cause);
    });
  }
}
