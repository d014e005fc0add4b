import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiDoc, ApiProblems, ApiTag, fieldErrorOf, Roles, UtcTimestamps, validationProblem } from '@app/platform';
import { EventFeedRepository, FeedHead, FeedPage } from './event-feed.repository';
import { FeedHeadView, FeedPageView, TOPIC_PARAM } from './event-feed.view';
import { FeedLimit, SequenceNumber } from './feed-fields';

const TOPIC_PATTERN = '^[A-Za-z0-9._-]{1,200}$';

export class FeedPageQuery {
  @SequenceNumber({ description: 'First sequence number wanted', required: true, source: 'query' })
  fromSeq!: number;

  @SequenceNumber({ description: 'Last sequence number wanted (inclusive)', required: false, source: 'query' })
  toSeq?: number;

  @FeedLimit({ description: 'Messages per page', default: 100, source: 'query' })
  limit?: number;
}

export class FeedHeadsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 3_600_000,
    default: 10_000,
    description: 'A head counts as settled once published this long ago',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  settledAfterMs?: number;
}

/**
 * The event feed: every message this service published, by topic, partition and sequence
 * number, for as long as the outbox keeps it. Consumers read it to fill what the broker lost;
 * auditors may read it too.
 */
@ApiTag('event-feed', 'Published events by topic, partition and sequence, and the replay of consumed ones')
@ApiBearerAuth()
@UtcTimestamps() // stored envelopes, served as they were published: consumers verify and apply them
@Controller('v1/event-feed')
export class EventFeedController {
  constructor(private readonly feed: EventFeedRepository) {}

  @Get(':topic/partitions/:partition')
  @Roles('auditor', 'admin')
  @ApiDoc({
    id: 'readEventFeed',
    summary: 'Read published messages of one partition',
    description:
      'Messages this service published with fromSeq <= seq <= toSeq that the outbox still keeps, in sequence order; consumers read it to fill what the broker lost.',
  })
  @ApiParam(TOPIC_PARAM)
  @ApiParam({ name: 'partition', description: 'Partition number, 0-100000', example: 0, schema: { type: 'integer' } })
  @ApiOkResponse({ type: FeedPageView, description: 'The messages, oldest first' })
  @ApiProblems(400)
  async page(
    @Param('topic') topic: string,
    @Param('partition', ParseIntPipe) partition: number,
    @Query() query: FeedPageQuery,
  ): Promise<FeedPage> {
    return this.feed.page(
      checkTopic(topic),
      checkPartition(partition),
      query.fromSeq,
      query.toSeq ?? null,
      query.limit ?? 100,
    );
  }

  @Get(':topic/heads')
  @Roles('auditor', 'admin')
  @ApiDoc({
    id: 'listEventFeedHeads',
    summary: 'Read the last sequence of each partition',
    description:
      'The last sequence number of each partition of a topic, and the last one published long enough ago that a consumer should have it.',
  })
  @ApiParam(TOPIC_PARAM)
  @ApiOkResponse({ type: [FeedHeadView], description: 'One head per partition' })
  @ApiProblems(400)
  async heads(@Param('topic') topic: string, @Query() query: FeedHeadsQuery): Promise<FeedHead[]> {
    return this.feed.heads(checkTopic(topic), query.settledAfterMs ?? 10_000);
  }
}

function checkTopic(topic: string): string {
  if (!new RegExp(TOPIC_PATTERN).test(topic)) throw feedParamProblem('topic', 'pattern', 'reasons.eventFeed.topic');
  return topic;
}

function checkPartition(partition: number): number {
  if (partition < 0 || partition > 100_000) throw feedParamProblem('partition', 'range', 'reasons.eventFeed.partition');
  return partition;
}

function feedParamProblem(field: string, rule: string, key: string): Error {
  return validationProblem([fieldErrorOf(field, rule, { key })]);
}
