import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsTimestampWithinLimits } from '../validation/limit-validators';

const ID = /^[1-9]\d{0,17}$/;

/** A segment of the audit chain: by instants, by ids, or both (all bounds optional). */
export class AuditChainQuery {
  @ApiPropertyOptional({
    description: 'Entries at or after this instant (ISO 8601 date or date-time) · 自此时刻起',
    example: '2026-01-01T00:00:00+08:00',
  })
  @IsOptional()
  @IsTimestampWithinLimits()
  from?: string;

  @ApiPropertyOptional({
    description: 'Entries before this instant (exclusive) · 至此时刻前',
    example: '2026-04-01T00:00:00+08:00',
  })
  @IsOptional()
  @IsTimestampWithinLimits()
  to?: string;

  @ApiPropertyOptional({ description: 'First entry id (inclusive) · 起始条目编号', example: '1', pattern: ID.source })
  @IsOptional()
  @Matches(ID)
  fromId?: string;

  @ApiPropertyOptional({ description: 'Last entry id (inclusive) · 截止条目编号', example: '5000', pattern: ID.source })
  @IsOptional()
  @Matches(ID)
  toId?: string;
}
