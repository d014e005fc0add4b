import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ApiDoc, ApiProblems, Roles } from '@app/platform';
import { GapView } from '../consumer/gap-ledger';
import { EventReplayService, ReplayResult } from './event-replay.service';
import { FEED_PAGE_MAX } from './event-feed.controller';
import { EventGapView, ReplayResultView } from './event-feed.view';

export class ReplayRequest {
  @ApiProperty({ example: 'dealers.events.v1', description: 'A topic this service consumes' })
  @Matches(/^[A-Za-z0-9._-]{1,200}$/)
  topic!: string;

  @ApiProperty({ type: 'integer', example: 0, description: 'Partition number' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  partition!: number;

  @ApiProperty({ type: 'integer', example: 1, description: 'First sequence number to replay' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  fromSeq!: number;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Last sequence number to replay (inclusive); default: as far as the producer has',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  toSeq?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: FEED_PAGE_MAX,
    default: 200,
    description: 'Events replayed by this call; call again from nextSeq',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(FEED_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Apply again the events this service dead-lettered (after the cause was fixed)',
  })
  @IsOptional()
  @IsBoolean()
  retryDeadLettered?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: "Mark this partition's gaps with lost events as acknowledged by the operator",
  })
  @IsOptional()
  @IsBoolean()
  acknowledgeLost?: boolean;
}

export class GapListQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'Gaps listed' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** The operator's side of gap filling: replay a range from a producer's feed; list the gaps found. */
@ApiTags('event-feed')
@ApiBearerAuth()
@Controller('v1')
export class EventReplayController {
  constructor(private readonly replays: EventReplayService) {}

  @Post('event-replays')
  @HttpCode(200)
  @Roles('admin')
  @ApiDoc({
    id: 'replayEvents',
    summary: 'Replay a range of a consumed partition',
    description:
      "Fetches a range of a consumed partition from its producer's event feed and runs each event through the consumer again (idempotent: what was applied stays applied once); dead-lettered events only when asked.",
  })
  @ApiOkResponse({ type: ReplayResultView, description: 'What became of the replayed events, and where to continue' })
  @ApiProblems(400, {
    status: 503,
    type: 'event-feed-unavailable',
    detail: 'The event feed of dealers cannot be read now: connect ECONNREFUSED 127.0.0.1:3001',
    description: "The producer's event feed cannot be read now; retry after Retry-After seconds",
  })
  replay(@Body() body: ReplayRequest): Promise<ReplayResult> {
    return this.replays.replay(body);
  }

  @Get('event-gaps')
  @Roles('admin', 'auditor')
  @ApiDoc({
    id: 'listEventGaps',
    summary: 'List gaps in consumed partitions',
    description:
      'Gaps this service found in the partitions it consumes, newest first, with how many events were filled or lost.',
  })
  @ApiOkResponse({ type: [EventGapView], description: 'The gaps, newest first' })
  @ApiProblems(400)
  gaps(@Query() query: GapListQuery): Promise<GapView[]> {
    return this.replays.gaps(query.limit ?? 100);
  }
}
