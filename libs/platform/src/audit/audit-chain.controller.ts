import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Roles } from '../auth/auth.decorators';
import { ApiDoc, ApiTag } from '../swagger/api-docs';
import { ApiProblems } from '../swagger/problem-responses';
import { UtcTimestamps } from '../time/shanghai-timestamps';
import { chainedEntryOfRow } from './audit-chain';
import { AuditChainQuery } from './audit-chain.query';
import { AuditChainService, ChainRange } from './audit-chain.service';
import { AuditChainVerificationView } from './audit-chain.view';

export const JSON_LINES = 'application/x-ndjson';

const rangeOf = (q: AuditChainQuery): ChainRange => ({
  ...(q.from ? { from: new Date(q.from) } : {}),
  ...(q.to ? { to: new Date(q.to) } : {}),
  ...(q.fromId ? { fromId: q.fromId } : {}),
  ...(q.toId ? { toId: q.toId } : {}),
});

@ApiTag('audit', "Who did what and when: this service's append-only audit log")
@ApiBearerAuth()
@Controller('v1/audit-log')
export class AuditChainController {
  constructor(private readonly chain: AuditChainService) {}

  @Get('verification')
  @Roles('auditor', 'admin', 'finance')
  @ApiDoc({
    id: 'verifyAuditLog',
    summary: 'Verify the audit-log chain · 校验审计日志哈希链',
    description:
      "Recomputes the hash chain of this service's audit log over a segment (by instants and/or ids; all of it by default), a page at a time, and names the first entry that does not match: content changed, link broken, entry missing, or not the daily chain head published. " +
      '按时刻或编号区间重新计算本服务审计日志的哈希链，指出第一个不符的条目（内容被改、链接断开、条目缺失、与已发布的日链头不符）。',
  })
  @ApiOkResponse({ type: AuditChainVerificationView, description: 'The result of the verification · 校验结果' })
  @ApiProblems(400)
  verify(@Query() query: AuditChainQuery): Promise<AuditChainVerificationView> {
    return this.chain.verify(rangeOf(query));
  }

  @Get('export')
  @Roles('auditor', 'admin', 'finance')
  @UtcTimestamps()
  @ApiDoc({
    id: 'exportAuditLog',
    summary: 'Export an audit-log segment as JSON Lines · 导出审计日志片段（JSON Lines）',
    description:
      'One entry per line in id order, with its prevHash and hash and occurredAt in UTC, for offline verification with scripts/verify-audit-log.mjs (docs/audit-chain.md). ' +
      '每行一个条目（含 prevHash 与 hash），可用 scripts/verify-audit-log.mjs 离线校验。',
  })
  @ApiProduces(JSON_LINES)
  @ApiOkResponse({
    description: 'JSON Lines, one audit entry per line · 每行一个审计条目',
    content: {
      [JSON_LINES]: {
        schema: { type: 'string' },
        example:
          '{"id":"1","occurredAt":"2026-01-05T02:00:00.000Z","actor":"admin-1","role":"admin","dealerCode":"D001","requestId":"r-1","correlationId":"c-1","action":"dealer.registered","entityType":"dealer","entityId":"D001","details":{},"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"5d41402abc4b2a76b9719d911017c592ae2b6f0c1b1c0f3e9a7d3e8b2c4a6f10"}\n',
      },
    },
  })
  @ApiProblems(400)
  async export(
    @Query() query: AuditChainQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { lo, hi } = await this.chain.bounds(rangeOf(query));
    reply.header('Content-Disposition', `attachment; filename="audit-log-${lo}-${hi}.jsonl"`);
    const rows = this.chain.rows(lo, hi);
    const lines = (async function* () {
      for await (const row of rows) {
        const entry = chainedEntryOfRow(row);
        yield `${JSON.stringify({ ...entry, occurredAt: new Date(entry.occurredAt).toISOString() })}\n`;
      }
    })();
    return new StreamableFile(Readable.from(lines), { type: JSON_LINES });
  }
}
