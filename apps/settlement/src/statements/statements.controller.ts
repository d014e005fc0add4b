import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
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
import { ApiAsOfQuery, AsOfPipe } from './as-of.pipe';
import { ChainVerificationService, ChainVerificationView } from './chain-verification.service';
import { DisputesService, DisputeView } from './disputes.service';
import { SettlementRunsService, RunView } from './settlement-runs.service';
import { StatementHistoryService } from './statement-history.service';
import { StatementLifecycleService } from './statement-lifecycle.service';
import { StatementRecord, StatementsRepository, StatementWithLines } from './statements.repository';
import { statementNotFound } from './statements.problems';
import { decodeTimeIdCursor } from '../projections/consumed-events.repository';
import {
  AllStatementsQuery,
  ChainVerificationQuery,
  DisputeListQuery,
  RaiseDisputeDto,
  ResolveDisputeDto,
  StatementListQuery,
} from './statements.dto';
import { VerificationService, VerificationView } from './verification.service';
import * as View from './statements.view';
import { QUARTER_PARAM, STATEMENT_ID_PARAM } from './statements.view';

const keyOfStatement = (s: StatementRecord) => `${s.quarter}|${s.dealerCode}`;

@ApiTag('settlements', 'Quarterly settlement runs and the statements of a quarter (R-SET-2, R-SET-8)')
@ApiBearerAuth()
@ApiParam(QUARTER_PARAM)
@Controller('v1/settlements/:quarter')
export class SettlementsController {
  constructor(
    private readonly runs: SettlementRunsService,
    private readonly store: StatementsRepository,
  ) {}

  @Post('runs')
  @HttpCode(202)
  @Roles('finance')
  @ApiDoc({
    id: 'startSettlementRun',
    summary: 'Start the settlement run of a quarter',
    description:
      'Starts, in the background, a run that computes a DRAFT statement for every dealer with an agreement in force by the end of the quarter; GET the run for its progress. One run per quarter at a time.',
    rules: ['R-SET-2', 'R-SET-8'],
  })
  @ApiAcceptedResponse({ type: View.SettlementRunView, description: 'The run, started (status RUNNING)' })
  @ApiProblems(400, {
    status: 409,
    code: 'RUN_IN_PROGRESS',
    type: 'run-in-progress',
    detail: 'Run 3f0c… for 2026-Q1 is still running.',
    description: 'A run of this quarter is still running',
  })
  start(@Param('quarter', QuarterPipe) quarter: string, @CurrentPrincipal() principal: Principal): Promise<RunView> {
    return this.runs.start(quarter, principal);
  }

  @Get('runs/:id')
  @Roles('finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'getSettlementRun',
    summary: 'Read the progress of a settlement run',
    description: 'Dealers done out of the total, and the dealers that could not be computed with the reason.',
    rules: ['R-SET-2'],
  })
  @ApiParam({
    name: 'id',
    description: 'The run id (UUID) returned when it was started',
    example: '3f0c6f5e-8a49-4c1b-9d1e-0a2b3c4d5e6f',
  })
  @ApiOkResponse({ type: View.SettlementRunView, description: 'The run' })
  @ApiProblems(400, {
    status: 404,
    detail: 'Run 3f0c… of 2026-Q1 was not found.',
    description: 'No run with this id in this quarter',
  })
  run(@Param('quarter', QuarterPipe) quarter: string, @Param('id', ParseUUIDPipe) id: string): Promise<RunView> {
    return this.runs.get(quarter, id);
  }

  @Get('statements')
  @Roles('finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'listQuarterStatements',
    summary: "List a quarter's statements",
    description: 'The statements of the quarter without their lines, ordered by dealer code.',
    rules: ['R-SET-8'],
  })
  @ApiPageResponse(View.StatementView, 'One page of statements, by dealer code')
  @ApiProblems(400)
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

@ApiTag('statements', 'Quarterly statements: read, approve, post, dispute, verify (R-SET-8, R-SET-9, R-DSP-1)')
@ApiBearerAuth()
@Controller('v1/statements')
export class StatementsController {
  constructor(
    private readonly store: StatementsRepository,
    private readonly lifecycle: StatementLifecycleService,
    private readonly disputes: DisputesService,
    private readonly verification: VerificationService,
    private readonly chain: ChainVerificationService,
    private readonly history: StatementHistoryService,
  ) {}

  @Get()
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'listStatements',
    summary: 'List statements',
    description:
      'Statements without their lines, newest quarter first, then by dealer code, filtered by quarter, dealer and status; a dealer sees only its own.',
    rules: ['R-SET-8'],
  })
  @ApiPageResponse(View.StatementView, 'One page of statements, newest quarter first, then by dealer code')
  @ApiProblems(400)
  async list(@Query() q: AllStatementsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<StatementRecord>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.store.list(
      { quarter: q.quarter, dealer: dealerScope(principal, q.dealer), status: q.status },
      decodePageCursor(q.cursor),
      limit,
    );
    return toPage(rows, limit, keyOfStatement);
  }

  @Get('verification')
  @Roles('auditor', 'admin', 'finance')
  @ApiDoc({
    id: 'verifyStatementChain',
    summary: 'Verify the chain of posted statements · 校验已过账结算单哈希链',
    description:
      "Recomputes the chain of statements posted in [from, to): each statement's content hash from its stored lines and figures, and each link's hash from the statement and the previous link; names the first that does not match and why (CONTENT_CHANGED, LINK_BROKEN, MISSING). 重新计算区间内已过账结算单的哈希链，指出第一个不匹配的结算单及原因。",
    rules: ['R-SET-8', 'R-SET-9'],
  })
  @ApiOkResponse({ type: View.ChainVerificationView, description: 'The verification of the range' })
  @ApiProblems(400)
  verifyChain(@Query() q: ChainVerificationQuery): Promise<ChainVerificationView> {
    return this.chain.verify(q.from ? new Date(q.from) : undefined, q.to ? new Date(q.to) : undefined);
  }

  @Get(':id')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'getStatement',
    summary: 'Read a statement with its lines · 查询结算单及明细',
    description:
      'The statement with its lines, each with rule id, quantity, rate or base and percent, amount and sources; a draft lists its pendingMonths, months whose report due time had not passed when it was computed (DOMAIN §9). A posted statement shows its link in the chain of posted statements. With asOf, the statement as it stood at that instant: its status, figures and content hash of then, approval and posting only once they had happened (404 when it did not exist yet). 带 asOf 时返回该时刻的结算单状态。',
    rules: ['R-SET-8', 'R-SET-9'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiAsOfQuery('The statement')
  @ApiOkResponse({ type: View.StatementDetailView, description: 'The statement' })
  @ApiProblems(400, View.STATEMENT_NOT_FOUND)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('asOf', AsOfPipe) asOf: Date | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StatementWithLines> {
    if (asOf) return this.history.asOf(id, asOf, principal);
    const s = await this.store.findWithLines(id);
    if (!s) throw statementNotFound(id);
    assertDealerAccess(principal, s.dealerCode);
    return s;
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('finance')
  @ApiDoc({
    id: 'approveStatement',
    summary: 'Approve a draft statement',
    description:
      'Approves and freezes a DRAFT, by a finance user other than the one who ran it, once every month of the quarter is past its report due time and the facts have not changed since the draft; publishes QuarterApproved.',
    rules: ['R-SET-8', 'R-SET-9'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiOkResponse({ type: View.StatementDetailView, description: 'The approved statement' })
  @ApiProblems(400, View.STATEMENT_NOT_FOUND, ...View.APPROVAL_CONFLICTS)
  approve(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StatementWithLines> {
    return this.lifecycle.approve(id, principal);
  }

  @Post(':id/post')
  @HttpCode(200)
  @Roles('finance')
  @ApiDoc({
    id: 'postStatement',
    summary: 'Post an approved statement',
    description:
      'Posts an APPROVED statement: writes its double-entry ledger entries, sets the next quarter opening and publishes StatementPosted.',
    rules: ['R-SET-4', 'R-SET-8'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiOkResponse({ type: View.StatementDetailView, description: 'The posted statement' })
  @ApiProblems(400, View.STATEMENT_NOT_FOUND, {
    status: 409,
    code: 'STATEMENT_NOT_APPROVED',
    type: 'statement-not-approved',
    detail: 'The statement is DRAFT; only an APPROVED statement can be posted (R-SET-8).',
    description: 'The statement is not APPROVED',
  })
  post(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<StatementWithLines> {
    return this.lifecycle.post(id, principal);
  }

  @Post(':id/disputes')
  @HttpCode(201)
  @Roles('dealer')
  @ApiDoc({
    id: 'raiseDispute',
    summary: 'Dispute a posted statement',
    description:
      "The dealer disputes its own posted statement within the agreement's disputeMonths after posting; finance then resolves it.",
    rules: ['R-DSP-1'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiCreatedResponse({ type: View.DisputeView, description: 'The dispute, OPEN' })
  @ApiProblems(400, View.STATEMENT_NOT_FOUND, ...View.DISPUTE_REFUSALS)
  dispute(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RaiseDisputeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DisputeView> {
    return this.disputes.raise(id, principal, dto.reason);
  }

  @Get(':id/verification')
  @Roles('auditor', 'finance', 'admin')
  @ApiDoc({
    id: 'verifyStatement',
    summary: 'Verify a frozen statement by recomputing it',
    description:
      'Recomputes an approved or posted statement from the stored facts as they were at approval and compares it line by line, with content hashes.',
    rules: ['R-SET-9'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiOkResponse({ type: View.VerificationView, description: 'The comparison' })
  @ApiProblems(400, View.STATEMENT_NOT_FOUND, ...View.VERIFY_CONFLICTS)
  verify(@Param('id', ParseUUIDPipe) id: string): Promise<VerificationView> {
    return this.verification.verify(id);
  }
}

@ApiTag('disputes', 'Disputes of posted statements and their resolution (R-DSP-1, R-DSP-2)')
@ApiBearerAuth()
@Controller('v1/disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  @Get()
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'listDisputes',
    summary: 'List disputes',
    description: 'Disputes, newest raised first, filtered by dealer and status; a dealer sees only its own.',
    rules: ['R-DSP-1', 'R-DSP-2'],
  })
  @ApiPageResponse(View.DisputeView, 'One page of disputes, newest raised first')
  @ApiProblems(400)
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
  @ApiDoc({ id: 'getDispute', summary: 'Read a dispute', description: 'One dispute; a dealer reads only its own.' })
  @ApiParam(View.DISPUTE_ID_PARAM)
  @ApiOkResponse({ type: View.DisputeView, description: 'The dispute' })
  @ApiProblems(400, View.DISPUTE_NOT_FOUND)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<DisputeView> {
    return this.disputes.get(id, principal);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('finance')
  @ApiDoc({
    id: 'resolveDispute',
    summary: 'Resolve a dispute',
    description:
      'Rejects an OPEN dispute, or accepts it with a non-zero signed amount that enters the next open statement of the dealer.',
    rules: ['R-DSP-2'],
  })
  @ApiParam(View.DISPUTE_ID_PARAM)
  @ApiOkResponse({ type: View.DisputeView, description: 'The resolved dispute' })
  @ApiProblems(...View.RESOLVE_PROBLEMS)
  resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ResolveDisputeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DisputeView> {
    return this.disputes.resolve(id, principal, dto.decision, dto.amount, dto.note);
  }
}
