import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { AUDIT_CHAIN_SERVICES, DATE_REGEX } from '@app/contracts';

export const AUDIT_CHAIN_HEADS_MAX = 1000;

export class AuditChainHeadsQuery {
  @ApiPropertyOptional({ enum: AUDIT_CHAIN_SERVICES, example: 'dealers', description: 'Only this service · 仅此服务' })
  @IsOptional()
  @IsIn(AUDIT_CHAIN_SERVICES)
  service?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-03-01', description: 'First day (inclusive) · 起始日' })
  @IsOptional()
  @Matches(DATE_REGEX)
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-03-31', description: 'Last day (inclusive) · 截止日' })
  @IsOptional()
  @Matches(DATE_REGEX)
  to?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: AUDIT_CHAIN_HEADS_MAX,
    default: 366,
    description: 'Heads at most, oldest day first · 最多条数',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_CHAIN_HEADS_MAX)
  limit?: number;
}

export class AuditChainHeadView {
  @ApiProperty({ enum: AUDIT_CHAIN_SERVICES, example: 'dealers' }) service!: string;
  @ApiProperty({ format: 'date', example: '2026-03-31', description: 'The day (Asia/Shanghai) · 日期' }) day!: string;
  @ApiProperty({
    example: '5000',
    pattern: '^\\d{1,18}$',
    description: 'Last entry of the chain that day · 当日最后条目',
  })
  lastId!: string;
  @ApiProperty({
    pattern: '^[0-9a-f]{64}$',
    example: '9f2c6b0e4d1a8c3f7b5e2d9a0c4f6e8b1d3a5c7e9f0b2d4c6e8a0b1c3d5e7f90',
    description: 'Its hash · 链头哈希',
  })
  headHash!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 412, description: 'Entries that day · 当日条目数' })
  count!: number;
  @ApiProperty({ format: 'date-time', description: 'When settlement kept it · 收到时间' }) receivedAt!: string;
}

export class AuditChainHeadsView {
  @ApiProperty({ type: [AuditChainHeadView] }) items!: AuditChainHeadView[];
}
