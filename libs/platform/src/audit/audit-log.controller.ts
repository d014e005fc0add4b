import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Roles } from '../auth/auth.decorators';
import { ProblemException } from '../problem/problem.exception';
import { AuditLogEntry } from './audit-log-entry.entity';
import { AuditLogQuery, decodeCursor, encodeCursor } from './audit-log.query';

export interface AuditLogPage {
  items: Array<Omit<AuditLogEntry, 'occurredAt'> & { occurredAt: string }>;
  nextCursor: string | null;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit-log')
export class AuditLogController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Roles('auditor', 'admin', 'finance')
  @ApiOkResponse({ description: 'Audit entries, oldest first, cursor-paginated' })
  async list(@Query() query: AuditLogQuery): Promise<AuditLogPage> {
    const limit = query.limit ?? 100;
    const qb = this.dataSource
      .getRepository(AuditLogEntry)
      .createQueryBuilder('a')
      .orderBy('a.id', 'ASC')
      .limit(limit + 1);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      if (!after)
        throw new ProblemException({ status: 400, type: 'invalid-cursor', detail: 'The cursor is not valid.' });
      qb.andWhere('a.id > :after', { after });
    }
    if (query.dealer) qb.andWhere('a.dealer_code = :dealer', { dealer: query.dealer });
    if (query.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.from) qb.andWhere('a.occurred_at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('a.occurred_at < :to', { to: new Date(query.to) });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }
}
