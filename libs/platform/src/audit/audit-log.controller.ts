import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Roles } from '../auth/auth.decorators';
import { decodePageCursor, DEFAULT_PAGE_SIZE, SEQUENCE_KEY, toPage } from '../pagination/pagination';
import { AuditLogEntry } from './audit-log-entry.entity';
import { AuditLogQuery } from './audit-log.query';
import { AuditLogEntryView } from './audit-log.view';
import { ApiDoc, ApiPageResponse, ApiTag } from '../swagger/api-docs';
import { ApiProblems } from '../swagger/problem-responses';

export interface AuditLogPage {
  items: Array<Omit<AuditLogEntry, 'occurredAt'> & { occurredAt: string }>;
  nextCursor: string | null;
}

@ApiTag('audit', "Who did what and when: this service's append-only audit log")
@ApiBearerAuth()
@Controller('v1/audit-log')
export class AuditLogController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Roles('auditor', 'admin', 'finance')
  @ApiDoc({
    id: 'listAuditLog',
    summary: 'List audit log entries',
    description:
      'Every change this service made on behalf of a user (actor, role, action, entity, details), newest first, filtered by dealer, entity type and time.',
  })
  @ApiPageResponse(AuditLogEntryView, 'One page of audit entries, newest first')
  @ApiProblems(400)
  async list(@Query() query: AuditLogQuery): Promise<AuditLogPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.dataSource
      .getRepository(AuditLogEntry)
      .createQueryBuilder('a')
      .orderBy('a.id', 'DESC')
      .limit(limit + 1);
    const after = decodePageCursor(query.cursor, SEQUENCE_KEY);
    if (after !== undefined) qb.andWhere('a.id < :after', { after });
    if (query.dealer) qb.andWhere('a.dealer_code = :dealer', { dealer: query.dealer });
    if (query.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.from) qb.andWhere('a.occurred_at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('a.occurred_at < :to', { to: new Date(query.to) });
    const page = toPage(await qb.getMany(), limit, (row) => row.id);
    return {
      items: page.items.map((row) => ({ ...row, occurredAt: row.occurredAt.toISOString() })),
      nextCursor: page.nextCursor,
    };
  }
}
