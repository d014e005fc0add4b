import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  assertDealerAccess,
  CurrentPrincipal,
  dealerScope,
  decodePageCursor,
  DEFAULT_PAGE_SIZE,
  Page,
  Principal,
  QuarterPipe,
  Roles,
  toPage,
} from '@app/platform';
import { DisputesService, DisputeView } from './disputes.service';
import { SettlementRunsService, RunView } from './settlement-runs.service';
import { StatementLifecycleService } from './statement-lifecycle.service';
import { StatementRecord, StatementsRepository, StatementWithLines } from './statements.repository';
import { statementNotFound } from './statements.problems';
import { decodeTimeIdCursor } from '../projections/consumed-events.repository';
import {
  AllStatementsQuery,
  DisputeListQuery,
  RaiseDisputeDto,
  ResolveDisputeDto,
  StatementListQuery,
} from './statements.dto';
import { VerificationService, VerificationView } from './verification.service';

const keyOfStatement = (s: StatementRecord) => `${s.quarter}|${s.dealerCode}`;

@ApiTags('settlements')
@ApiBearerAuth()
@Controller('v1/settlements/:quarter')
export class SettlementsController {
  constructor(
    private readonly runs: SettlementRunsService,
    private readonly store: StatementsRepository,
  ) {}

  @Post('runs')
  @HttpCode(202)
  @Roles('finance')
  @ApiParam({ name: 'quarter', example: '2026-Q1' })
  @ApiAcceptedResponse({ description: 'The run started in the background (R-SET-2); GET it for progress.' })
  start(@Param('quarter', QuarterPipe) quarter: string, @CurrentPrincipal() principal: Principal): Promise<RunView> {
    return this.runs.start(quarter, principal);
  }

  @Get('runs/:id')
  @Roles('finance', 'auditor', 'admin')
  @ApiOkResponse({ description: 'Progress: dealers done / total, errors per dealer' })
  run(@Param('quarter', QuarterPipe) quarter: string, @Param('id', ParseUUIDPipe) id: string): Promise<RunView> {
    return this.runs.get(quarter, id);
  }

  @Get('statements')
  @Roles('finance', 'auditor', 'admin')
  @ApiOkResponse({ description: 'Statements of the quarter (without lines), ordered by dealer code' })
  async statements(
    @Param('quarter', QuarterPipe) quarter: string,
    @Query() q: StatementListQuery,
  ): Promise<Page<StatementRecord>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    return toPage(
      await this.store.list({ quarter, dealer: q.dealer, status: q.status }, decodePageCursor(q.cursor), limit),
      limit,
      keyOfStatement,
    );
  }
}

@ApiTags('statements')
@ApiBearerAuth()
@Controller('v1/statements')
export class StatementsController {
  constructor(
    private readonly store: StatementsRepository,
    private readonly lifecycle: StatementLifecycleService,
    private readonly disputes: DisputesService,
    private readonly verification: VerificationService,
  ) {}

  @Get()
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiOkResponse({
    description: 'Statements without lines, newest quarter first, then by dealer code (a dealer sees its own)',
  })
  async list(@Query() q: AllStatementsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<StatementRecord>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.store.list(
      { quarter: q.quarter, dealer: dealerScope(principal, q.dealer), status: q.status },
      decodePageCursor(q.cursor),
      limit,
    );
    return toPage(rows, limit, keyOfStatement);
  }

  @Get(':id')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiOkResponse({
    description:
      'The statement with its lines, each with rule id, quantity, rate or base and percent, amount and sources (R-SET-9); a draft lists its pendingMonths, months whose report due time had not passed when it was computed (DOMAIN §9)',
  })
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StatementWithLines> {
    const s = await this.store.findWithLines(id);
    if (!s) throw statementNotFound(id);
    assertDealerAccess(principal, s.dealerCode);
    return s;
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('finance')
  @ApiOkResponse({
    description:
      'Approved and frozen (R-SET-8); QuarterApproved published. 409 MONTHS_PENDING names the months whose report due time has not passed (DOMAIN §9)',
  })
  approve(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StatementWithLines> {
    return this.lifecycle.approve(id, principal);
  }

  @Post(':id/post')
  @HttpCode(200)
  @Roles('finance')
  @ApiOkResponse({ description: 'Posted: ledger written, next opening set, StatementPosted published (R-SET-8)' })
  post(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<StatementWithLines> {
    return this.lifecycle.post(id, principal);
  }

  @Post(':id/disputes')
  @HttpCode(201)
  @Roles('dealer')
  @ApiOkResponse({
    description: 'Dispute raised within disputeMonths of posting (R-DSP-1); later: problem DISPUTE_WINDOW_CLOSED',
  })
  dispute(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RaiseDisputeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DisputeView> {
    return this.disputes.raise(id, principal, dto.reason);
  }

  @Get(':id/verification')
  @Roles('auditor', 'finance', 'admin')
  @ApiOkResponse({
    description:
      'Recomputation from the stored facts as they were at approval, line by line, with content hashes (R-SET-9)',
  })
  verify(@Param('id', ParseUUIDPipe) id: string): Promise<VerificationView> {
    return this.verification.verify(id);
  }
}

@ApiTags('disputes')
@ApiBearerAuth()
@Controller('v1/disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  @Get()
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiOkResponse({ description: 'Disputes, newest first (raisedAt descending; a dealer sees its own)' })
  async list(@Query() q: DisputeListQuery, @CurrentPrincipal() principal: Principal): Promise<Page<DisputeView>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    return toPage(
      await this.disputes.list(dealerScope(principal, q.dealer), q.status, decodeTimeIdCursor(q.cursor), limit),
      limit,
      (d) => `${d.raisedAt}|${d.id}`,
    );
  }

  @Get(':id')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<DisputeView> {
    return this.disputes.get(id, principal);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('finance')
  @ApiOkResponse({
    description: 'R-DSP-2: rejected, or accepted with a signed amount entering the next open statement',
  })
  resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ResolveDisputeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DisputeView> {
    return this.disputes.resolve(id, principal, dto.decision, dto.amount, dto.note);
  }
}
