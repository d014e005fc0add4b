import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse } from '@nestjs/swagger';
import { ApiDoc, ApiProblems, ApiTag, Roles } from '@app/platform';
import { AuditChainHeadsRepository } from './audit-chain-heads.repository';
import { AuditChainHeadsQuery, AuditChainHeadsView } from './audit-chain-heads.view';

@ApiTag('audit', "Who did what and when: this service's append-only audit log")
@ApiBearerAuth()
@Controller('v1/audit-chain-heads')
export class AuditChainHeadsController {
  constructor(private readonly heads: AuditChainHeadsRepository) {}

  @Get()
  @Roles('auditor', 'admin', 'finance')
  @ApiDoc({
    id: 'listAuditChainHeads',
    summary: 'List the daily audit-chain heads · 列出各服务每日审计链头',
    description:
      "The head of every service's audit-log hash chain at the end of each day (Asia/Shanghai), as published by the service: compare with GET /v1/audit-log/verification or an exported segment. " +
      '各服务每日（上海时间）结束时审计日志哈希链的链头，可与校验结果或导出片段比对。',
  })
  @ApiOkResponse({ type: AuditChainHeadsView, description: 'Heads by day and service · 按日期与服务排列的链头' })
  @ApiProblems(400)
  async list(@Query() query: AuditChainHeadsQuery): Promise<AuditChainHeadsView> {
    return { items: await this.heads.list({ ...query, limit: query.limit ?? 366 }) };
  }
}
