import { Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { decodePageCursor, DEFAULT_PAGE_SIZE, Page, Roles, SEQUENCE_KEY, toPage } from '@app/platform';
import { ConsumedEventsRepository, ConsumedEventView } from '../projections/consumed-events.repository';
import { EventsQuery, LedgerQuery } from '../statements/statements.dto';

export interface LedgerEntryView {
  id: string;
  statementId: string;
  dealerCode: string;
  quarter: string;
  account: string;
  debit: string;
  credit: string;
  memo: string;
  postedAt: string;
}

/** The append-only ledger written by posting (R-SET-8), read-only for auditors. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1/ledger')
export class LedgerController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @Roles('auditor', 'finance', 'admin')
  @ApiOkResponse({
    description: 'Double-entry ledger entries in posting order, filtered by dealer, quarter and account',
  })
  async list(@Query() q: LedgerQuery): Promise<Page<LedgerEntryView>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodePageCursor(q.cursor, SEQUENCE_KEY);
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT * FROM ledger_entries
       WHERE ($1::text IS NULL OR dealer_code = $1) AND ($2::text IS NULL OR quarter = $2) AND ($3::text IS NULL OR account = $3)
         AND ($4::bigint IS NULL OR id > $4) ORDER BY id LIMIT $5`,
      [q.dealer ?? null, q.quarter ?? null, q.account ?? null, after ?? null, limit + 1],
    );
    const views = rows.map((r) => ({
      id: String(r.id),
      statementId: r.statement_id,
      dealerCode: r.dealer_code,
      quarter: r.quarter.trim(),
      account: r.account,
      debit: r.debit,
      credit: r.credit,
      memo: r.memo,
      postedAt: new Date(r.posted_at).toISOString(),
    }));
    return toPage(views, limit, (e) => e.id);
  }
}

/** Every event settlement consumed (R-SET-9 explainability), read-only for auditors. */
@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class ConsumedEventsController {
  constructor(private readonly events: ConsumedEventsRepository) {}

  @Get()
  @Roles('auditor', 'finance', 'admin')
  @ApiOkResponse({
    description: 'Consumed events in (occurredAt, eventId) order, filtered by dealer, type and occurredAt ∈ [from, to)',
  })
  list(@Query() q: EventsQuery): Promise<Page<ConsumedEventView>> {
    return this.events.list(
      {
        dealer: q.dealer,
        type: q.type,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      },
      { limit: q.limit ?? DEFAULT_PAGE_SIZE, cursor: q.cursor },
    );
  }
}
