import { Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  assertDealerAccess,
  CurrentPrincipal,
  notFoundProblem,
  Page,
  Principal,
  Roles,
  YearMonthPipe,
} from '@app/platform';
import { DEALER_CODE_PARAM } from '../registry/dealer.dto';
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

@ApiTags('monthly-reports')
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
  @ApiOkResponse({
    type: MonthlyReportView,
    description: 'Each part given becomes a new version of that part (R-REP-1)',
  })
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
  @ApiOkResponse({
    type: MonthlyReportView,
    description: '每月销售统计表; the report counts as submitted from its first sales statistics',
  })
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
  @ApiOkResponse({ type: MonthlyReportView, description: '维修月报表 with 每月零件更换清单' })
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
  @ApiOkResponse({ type: MonthlyReportView, description: '顾客满意度调查统计表' })
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
  @ApiOkResponse({ type: MonthlyReportView, description: '顾客意见统计表' })
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
  @ApiOkResponse({ type: MonthlyReportView, description: '质量信息反馈单' })
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
  @ApiOkResponse({ type: MonthlyReportView, description: '回访; R-REP-2 flags fewer than 25 % of repairs' })
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
  @ApiOkResponse({
    type: MonthlyReportView,
    description: 'Status, due time, flags, figures and the latest version of each part',
  })
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
  @ApiParam({ name: 'part', enum: REPORT_PARTS.map((p) => PART_PATH[p]) })
  @ApiOkResponse({ type: [PartVersionView], description: 'Every version of the part, oldest first (R-REP-1)' })
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
        `No report part '${partPath}'; parts are ${REPORT_PARTS.map((p) => PART_PATH[p]).join(', ')}.`,
      );
    return this.reports.versions(code, month, part);
  }

  @Get('v1/reports')
  @Roles(...READERS)
  @ApiOkResponse({
    type: MonthlyReportPageView,
    description: 'Monthly reports, newest month first, then by dealer code',
  })
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
