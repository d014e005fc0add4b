import { applyDecorators, Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  domainProblem,
  notFoundProblem,
  Page,
  Principal,
  problemText,
  Roles,
  YearMonthPipe,
} from '@app/platform';
import { DEALER_CODE_DOC, DEALER_CODE_PARAM, REPORT_MONTH_DOC } from '../registry/dealer.dto';
import {
  CallbacksPartDto,
  MonthlyReportPageView,
  MonthlyReportView,
  OpinionsPartDto,
  PartVersionView,
  QualityFeedbackPartDto,
  RepairsPartDto,
  ReportListQuery,
  SalesPartDto,
  SatisfactionPartDto,
  SubmitMonthlyReportDto,
} from './monthly-report.dto';
import { ReportsService } from './reports.service';
import { PART_KEY, PART_PATH, partFromPath, REPORT_PARTS, ReportPart, ReportParts } from './report-rules';
import { SubmitMonthlyReportUseCase } from './submit-monthly-report.use-case';

const READERS = ['dealer', 'after-sales', 'finance', 'auditor', 'admin'] as const;

const REPORT_PROBLEMS = [
  400,
  domainProblem(
    409,
    'REPORT_CLOSED',
    'The 2026-01 report of dealer D001 is closed: its quarter is approved and nothing of the month changes any more.',
    'The month is closed (its quarter is approved)',
  ),
  domainProblem(
    422,
    'REPORT_MONTH_NOT_STARTED',
    'A report for 2026-12 cannot be submitted before that month (today is 2026-11-30 in Asia/Shanghai).',
    'The month has not started',
  ),
] as const;

/** The documentation of a PUT of a report or one of its parts: a new version of each part given (R-REP-1). */
const SubmitDoc = (id: string, summary: string, description: string, rules: string[] = []) =>
  applyDecorators(
    ApiDoc({ id, summary, description, rules: ['R-REP-1', ...rules] }),
    ApiParam(DEALER_CODE_DOC),
    ApiParam(REPORT_MONTH_DOC),
    ApiOkResponse({ type: MonthlyReportView, description: 'The report with the new version' }),
    ApiProblems(...REPORT_PROBLEMS),
  );

@ApiTag(
  'monthly-reports',
  "Dealers' monthly reports: sales, repairs, satisfaction, opinions, quality feedback, callbacks (R-REP-1..4)",
)
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    private readonly submitReport: SubmitMonthlyReportUseCase,
    private readonly reports: ReportsService,
  ) {}

  @Put('v1/dealers/:code/reports/:month')
  @HttpCode(200)
  @Roles('dealer')
  @SubmitDoc(
    'submitMonthlyReport',
    'Submit a monthly report',
    "Submits any parts of the dealer's monthly report at once; each part given becomes a new version of that part. The report counts as submitted from its first sales statistics; a month never submitted by its due time withholds the month's allowance.",
    ['R-REP-2', 'R-REP-4'],
  )
  submit(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Body() dto: SubmitMonthlyReportDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MonthlyReportView> {
    assertDealerAccess(principal, code);
    const parts: ReportParts = {};
    for (const p of REPORT_PARTS) {
      const content = dto[PART_KEY[p]];
      if (content !== undefined) (parts as Record<string, unknown>)[p] = content;
    }
    return this.submitReport.execute(code, month, parts, principal, 'API');
  }

  @Put('v1/dealers/:code/reports/:month/sales')
  @HttpCode(200)
  @Roles('dealer')
  @SubmitDoc(
    'submitSalesPart',
    'Submit the sales statistics (每月销售统计表)',
    'A new version of the sales part; the report counts as submitted from its first sales statistics.',
    ['R-REP-4'],
  )
  sales(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Body() dto: SalesPartDto,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.one(code, month, 'SALES', dto, p);
  }

  @Put('v1/dealers/:code/reports/:month/repairs')
  @HttpCode(200)
  @Roles('dealer')
  @SubmitDoc(
    'submitRepairsPart',
    'Submit the repairs (维修月报表)',
    'A new version of the repairs part with its parts replaced (每月零件更换清单).',
  )
  repairs(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Body() dto: RepairsPartDto,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.one(code, month, 'REPAIRS', dto, p);
  }

  @Put('v1/dealers/:code/reports/:month/satisfaction')
  @HttpCode(200)
  @Roles('dealer')
  @SubmitDoc(
    'submitSatisfactionPart',
    'Submit the satisfaction survey (顾客满意度调查统计表)',
    'A new version of the satisfaction part.',
  )
  satisfaction(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Body() dto: SatisfactionPartDto,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.one(code, month, 'SATISFACTION', dto, p);
  }

  @Put('v1/dealers/:code/reports/:month/opinions')
  @HttpCode(200)
  @Roles('dealer')
  @SubmitDoc(
    'submitOpinionsPart',
    'Submit the customer opinions (顾客意见统计表)',
    'A new version of the opinions part.',
  )
  opinions(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Body() dto: OpinionsPartDto,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.one(code, month, 'OPINIONS', dto, p);
  }

  @Put('v1/dealers/:code/reports/:month/quality-feedback')
  @HttpCode(200)
  @Roles('dealer')
  @SubmitDoc(
    'submitQualityFeedbackPart',
    'Submit the quality feedback (质量信息反馈单)',
    'A new version of the quality feedback part.',
  )
  qualityFeedback(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Body() dto: QualityFeedbackPartDto,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.one(code, month, 'QUALITY_FEEDBACK', dto, p);
  }

  @Put('v1/dealers/:code/reports/:month/callbacks')
  @HttpCode(200)
  @Roles('dealer')
  @SubmitDoc(
    'submitCallbacksPart',
    'Submit the callbacks (回访)',
    'A new version of the callbacks part; fewer callbacks than 25 % of the repairs flag the report.',
    ['R-REP-2'],
  )
  callbacks(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Body() dto: CallbacksPartDto,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.one(code, month, 'CALLBACKS', dto, p);
  }

  @Get('v1/dealers/:code/reports/:month')
  @Roles(...READERS)
  @ApiDoc({
    id: 'getMonthlyReport',
    summary: 'Read a monthly report',
    description: 'Status, due time, flags, figures and the latest version of each part; a dealer reads only its own.',
    rules: ['R-REP-1', 'R-REP-2', 'R-REP-4'],
  })
  @ApiParam(DEALER_CODE_DOC)
  @ApiParam(REPORT_MONTH_DOC)
  @ApiOkResponse({ type: MonthlyReportView, description: 'The report' })
  @ApiProblems(400)
  get(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MonthlyReportView> {
    assertDealerAccess(principal, code);
    return this.reports.get(code, month);
  }

  @Get('v1/dealers/:code/reports/:month/:part/versions')
  @Roles(...READERS)
  @ApiDoc({
    id: 'listReportPartVersions',
    summary: 'List the versions of a report part',
    description: 'Every version of one part of the monthly report, oldest first; a dealer reads only its own.',
    rules: ['R-REP-1'],
  })
  @ApiParam(DEALER_CODE_DOC)
  @ApiParam(REPORT_MONTH_DOC)
  @ApiParam({
    name: 'part',
    description: 'The report part',
    enum: REPORT_PARTS.map((p) => PART_PATH[p]),
    example: 'sales',
  })
  @ApiOkResponse({ type: [PartVersionView], description: 'The versions, oldest first' })
  @ApiProblems(400, {
    status: 404,
    detail: "No report part 'warranty'; parts are sales, repairs, satisfaction, opinions, quality-feedback, callbacks.",
    description: 'No such part',
  })
  versions(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Param('part') partPath: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PartVersionView[]> {
    assertDealerAccess(principal, code);
    const part = partFromPath(partPath);
    if (!part)
      throw notFoundProblem(
        problemText('noReportPart', { partPath, parts: REPORT_PARTS.map((p) => PART_PATH[p]).join(', ') }),
      );
    return this.reports.versions(code, month, part);
  }

  @Get('v1/reports')
  @Roles(...READERS)
  @ApiDoc({
    id: 'listMonthlyReports',
    summary: 'List monthly reports',
    description:
      'Monthly reports, newest month first, then by dealer code, filtered by dealer, month and status; a dealer sees only its own.',
    rules: ['R-REP-1', 'R-REP-4'],
  })
  @ApiOkResponse({ type: MonthlyReportPageView, description: 'One page of reports' })
  @ApiProblems(400)
  list(@Query() query: ReportListQuery, @CurrentPrincipal() principal: Principal): Promise<Page<MonthlyReportView>> {
    return this.reports.list(query, principal);
  }

  private one(
    code: string,
    month: string,
    part: ReportPart,
    content: unknown,
    principal: Principal,
  ): Promise<MonthlyReportView> {
    assertDealerAccess(principal, code);
    return this.submitReport.execute(code, month, { [part]: content } as ReportParts, principal, 'API');
  }
}
