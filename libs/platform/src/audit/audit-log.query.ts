import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsTimestampWithinLimits } from '../validation/limit-validators';

export const AUDIT_LOG_MAX_LIMIT = 500;

export class AuditLogQuery {
  @ApiPropertyOptional({ description: 'Only entries about this dealer (dealer code)', example: 'D001' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  dealer?: string;

  @ApiPropertyOptional({ description: 'Only entries about this entity type', example: 'warranty-card' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  entityType?: string;

  @ApiPropertyOptional({
    description: 'Inclusive lower bound (ISO 8601 date or date-time)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsTimestampWithinLimits()
  from?: string;

  @ApiPropertyOptional({
    description: 'Exclusive upper bound (ISO 8601 date or date-time)',
    example: '2026-04-01T00:00:00Z',
  })
  @IsOptional()
  @IsTimestampWithinLimits()
  to?: string;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page (nextCursor)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: AUDIT_LOG_MAX_LIMIT,
    default: 100,
    description: 'Items per page',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_LOG_MAX_LIMIT)
  limit?: number;
}
