import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  decodePageCursor,
  DEFAULT_PAGE_SIZE,
  Page,
  Roles,
  SEQUENCE_KEY,
  toPage,
} from '@app/platform';
import { ConsumedEventsRepository, ConsumedEventView } from '../projections/consumed-events.repository';
import { AsOfPipe } from '../statements/as-of.pipe';
import { EventsQuery, LedgerQuery } from '../statements/statements.dto';
import { LedgerEntryView, LedgerRepository } from './ledger.repository';
import * as View from './ledger.view';

/** The append-only ledger written by posting (R-SET-8), read-only for auditors. */
@ApiTag('ledger', 'The append-only double-entry ledger written by posting statements (R-SET-8)')
@ApiBearerAuth()
@Controller('v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerRepository) {}

  @Get()
  @Roles('auditor', 'finance', 'admin')
  @ApiDoc({
    id: 'listLedgerEntries',
    summary: 'List ledger entries · 查询总账分录',
    description:
      "Double-entry ledger entries, newest posting first (id descending), filtered by dealer, quarter and account, each with its account's running balance; each posted statement writes entries whose debits equal their credits. With asOf, the ledger as it stood at that instant: only entries posted by then. 复式总账分录（含科目累计余额）；带 asOf 时仅含该时刻前已过账的分录。",
    rules: ['R-SET-4', 'R-SET-8'],
  })
  @ApiPageResponse(View.LedgerEntryView, 'One page of ledger entries, in posting order')
  @ApiProblems(400)
  async list(@Query() q: LedgerQuery, @Query('asOf', AsOfPipe) asOf: Date | undefined): Promise<Page<LedgerEntryView>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodePageCursor(q.cursor, SEQUENCE_KEY);
    const filter = { dealer: q.dealer, quarter: q.quarter, account: q.account, asOf };
    const views = await this.ledger.list(filter, after, limit);
    return toPage(views, limit, (e) => e.id);
  }
}

/** Every event settlement consumed (R-SET-9 explainability), read-only for auditors. */
@ApiTag('events', 'Every event settlement consumed, for auditors (R-SET-9)')
@ApiBearerAuth()
@Controller('v1/events')
export class ConsumedEventsController {
  constructor(private readonly events: ConsumedEventsRepository) {}

  @Get()
  @Roles('auditor', 'finance', 'admin')
  @ApiDoc({
    id: 'listConsumedEvents',
    summary: 'List consumed events',
    description:
      'The events settlement consumed (the facts behind every statement line), newest first ((occurredAt, eventId) descending), filtered by dealer, type and occurredAt in [from, to).',
    rules: ['R-SET-9'],
  })
  @ApiPageResponse(View.ConsumedEventView, 'One page of consumed events')
  @ApiProblems(400)
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
