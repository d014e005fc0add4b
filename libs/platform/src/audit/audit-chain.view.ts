import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHAIN_BREAKS, ChainBreak } from './audit-chain';

const HASH = { pattern: '^[0-9a-f]{64}$', example: '9f2c6b0e4d1a8c3f7b5e2d9a0c4f6e8b1d3a5c7e9f0b2d4c6e8a0b1c3d5e7f90' };

export class AuditChainMismatchView {
  @ApiProperty({
    example: '1042',
    pattern: '^\\d{1,18}$',
    description: 'The entry that does not match; for ENTRY_MISSING the first id missing · 不符的条目',
  })
  id!: string;

  @ApiProperty({
    enum: CHAIN_BREAKS,
    example: 'CONTENT_CHANGED',
    description:
      'CONTENT_CHANGED: content no longer gives the stored hash · 内容被改; LINK_BROKEN: prev_hash is not the hash of the entry before · 链接断开; ENTRY_MISSING: entries before it were removed · 条目缺失; PUBLISHED_HEAD_DIFFERS: not the daily head published · 与已发布的日链头不符',
  })
  reason!: ChainBreak;

  @ApiProperty({
    ...HASH,
    description: 'CONTENT_CHANGED: the recomputed hash; otherwise the hash the entry should link to · 应有哈希',
  })
  expectedHash!: string;

  @ApiProperty({ ...HASH, description: 'CONTENT_CHANGED: the stored hash; otherwise the stored prev_hash · 存储哈希' })
  storedHash!: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-03-31', description: 'PUBLISHED_HEAD_DIFFERS: the day · 日期' })
  day?: string;
}

/** GET /v1/audit-log/verification: the chain recomputed over a segment. */
export class AuditChainVerificationView {
  @ApiProperty({ example: true, description: 'Every entry checked matches · 全部一致' }) ok!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, example: 5000, description: 'Entries checked · 已校验条目数' })
  checked!: number;
  @ApiProperty({ type: 'string', nullable: true, example: '1', description: 'First entry checked · 首个条目' })
  firstId!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '5000', description: 'Last entry checked · 最后条目' })
  lastId!: string | null;
  @ApiProperty({ ...HASH, description: 'Hash of the last entry checked (the chain head of the segment) · 链头哈希' })
  headHash!: string;
  @ApiProperty({
    type: AuditChainMismatchView,
    nullable: true,
    description: 'The first entry that does not match; null when ok · 第一个不符的条目',
  })
  mismatch!: AuditChainMismatchView | null;
}
