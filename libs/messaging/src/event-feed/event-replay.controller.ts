import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Roles } from '@app/platform';
import { GapView } from '../consumer/gap-ledger';
import { EventReplayService, ReplayResult } from './event-replay.service';
import { FEED_PAGE_MAX } from './event-feed.controller';

export class ReplayRequest {
  @ApiProperty({ example: 'dealers.events.v1', description: 'A topic this service consumes' })
  @Matches(/^[A-Za-z0-9._-]{1,200}$/)
  topic!: string;

  @ApiProperty({ example: 0 })
  @IsInt()
  @Min(0)
  @Max(100_000)
  partition!: number;

  @ApiProperty({ example: 1, description: 'First sequence number to replay' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  fromSeq!: number;

  @ApiPropertyOptional({
    description: 'Last sequence number to replay (inclusive); default: as far as the producer has',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  toSeq?: number;

  @ApiPropertyOptional({
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
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
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
  @ApiOperation({
    summary:
      'Re-apply a range of a consumed partition from its producer (idempotent: what was applied stays applied once)',
  })
  @ApiOkResponse({ description: 'What became of each replayed event, and where to continue' })
  replay(@Body() body: ReplayRequest): Promise<ReplayResult> {
    return this.replays.replay(body);
  }

  @Get('event-gaps')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Gaps this service found in the partitions it consumes, newest first' })
  gaps(@Query() query: GapListQuery): Promise<GapView[]> {
    return this.replays.gaps(query.limit ?? 100);
  }
}
