import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { decodePageCursor, DEFAULT_PAGE_SIZE, Page, Roles, SEQUENCE_KEY, toPage } from '@app/platform';
import { ConsumedEventsRepository, ConsumedEventView } from '../projections/consumed-events.repository';
import { EventsQuery, LedgerQuery } from '../statements/statements.dto';
import { LedgerEntryView, LedgerRepository } from './ledger.repository';

/** The append-only ledger written by posting (R-SET-8), read-only for auditors. */
@ApiTags('ledger')
@ApiBearerAuth()
@Controller('v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerRepository) {}

  @Get()
  @Roles('auditor', 'finance', 'admin')
  @ApiOkResponse({
    description:
      'Double-entry ledger entries, newest posting first (id descending), filtered by dealer, quarter and account',
  })
  async list(@Query() q: LedgerQuery): Promise<Page<LedgerEntryView>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodePageCursor(q.cursor, SEQUENCE_KEY);
    const views = await this.ledger.list({ dealer: q.dealer, quarter: q.quarter, account: q.account }, after, limit);
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
    description:
      'Consumed events, newest first ((occurredAt, eventId) descending), filtered by dealer, type and occurredAt ∈ [from, to)',
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
