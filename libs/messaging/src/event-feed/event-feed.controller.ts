import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Roles, UtcTimestamps, validationProblem } from '@app/platform';
import { EventFeedRepository, FeedHead, FeedPage } from './event-feed.repository';

export const FEED_PAGE_MAX = 500;
const TOPIC_PATTERN = '^[A-Za-z0-9._-]{1,200}$';

export class FeedPageQuery {
  @ApiProperty({ minimum: 1, description: 'First sequence number wanted' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  fromSeq!: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Last sequence number wanted (inclusive)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  toSeq?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: FEED_PAGE_MAX, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(FEED_PAGE_MAX)
  limit?: number;
}

export class FeedHeadsQuery {
  @ApiPropertyOptional({
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
@ApiTags('event-feed')
@ApiBearerAuth()
@UtcTimestamps() // stored envelopes, served as they were published: consumers verify and apply them
@Controller('v1/event-feed')
export class EventFeedController {
  constructor(private readonly feed: EventFeedRepository) {}

  @Get(':topic/partitions/:partition')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Published messages of one partition, in sequence order' })
  @ApiParam({ name: 'topic', example: 'dealers.events.v1' })
  @ApiParam({ name: 'partition', example: 0 })
  @ApiOkResponse({ description: 'Messages with fromSeq <= seq <= toSeq that are still kept, oldest first' })
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
  @ApiOperation({ summary: 'Last sequence number of each partition of a topic' })
  @ApiParam({ name: 'topic', example: 'dealers.events.v1' })
  async heads(@Param('topic') topic: string, @Query() query: FeedHeadsQuery): Promise<FeedHead[]> {
    return this.feed.heads(checkTopic(topic), query.settledAfterMs ?? 10_000);
  }
}

function checkTopic(topic: string): string {
  if (!new RegExp(TOPIC_PATTERN).test(topic))
    throw feedParamProblem('topic', 'pattern', 'topic must be 1-200 letters, digits, dots, dashes or underscores');
  return topic;
}

function checkPartition(partition: number): number {
  if (partition < 0 || partition > 100_000)
    throw feedParamProblem('partition', 'range', 'partition must be between 0 and 100000');
  return partition;
}

function feedParamProblem(field: string, rule: string, message: string): Error {
  return validationProblem([{ field, rule, message }]);
}
