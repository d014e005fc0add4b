import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { SERIAL_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import { I18nContext } from 'nestjs-i18n';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
  DEFAULT_LANGUAGE,
  domainProblem,
  Page,
  PatternPipe,
  Principal,
  Roles,
} from '@app/platform';
import {
  AuditResultView,
  CallbackAuditSummaryView,
  CallbackAuditView,
  DrawCallbackAuditDto,
  ListCallbackAuditsQuery,
  RecordAuditResultDto,
  RedrawView,
} from './callback-audit.dto';
import { CallbackAuditsService } from './callback-audits.service';
import { auditInLanguage } from './callback-audit-views';

/** The request's language, for the reasons of the sampled cards' risk signals. */
const requestLanguage = (): string => I18nContext.current()?.lang ?? DEFAULT_LANGUAGE;

const AUDIT_ID_DOC = {
  name: 'id',
  description: 'The callback audit id (UUID)',
  example: '2a1b0c9d-8e7f-4a6b-9c5d-4e3f2a1b0c9d',
};
const AUDIT_NOT_FOUND = {
  status: 404,
  detail: 'Callback audit 2a1b0c9d-8e7f-4a6b-9c5d-4e3f2a1b0c9d was not found.',
  description: 'No audit with this id',
};

@ApiTag('callback-audits', 'Callback audits: samples of accepted cards checked by calling the consumer (R-AUD-1..3)')
@ApiBearerAuth()
@Controller('v1/audits')
export class CallbackAuditsController {
  constructor(private readonly audits: CallbackAuditsService) {}

  @Post()
  @HttpCode(201)
  @Roles('after-sales')
  @ApiDoc({
    id: 'drawCallbackAudit',
    summary: 'Draw a callback audit sample · 抽取回访抽查样本',
    description:
      "Draws a sample of a dealer's accepted cards of a month from a stored seed and population snapshot, so anyone can redraw it; one open audit per dealer and month. With weighting RISK each card is drawn with probability proportional to its risk score (shared phones or addresses, serial runs, month-end clusters, more cards than units sold, earlier falsified cards); the scores are stored with the audit and each sampled card shows its score and the signals that fired, in the request's language. · 从保存的种子和总体快照抽取经销商当月已接收保修卡的样本，任何人都可复抽验证；weighting 为 RISK 时按风险分加权抽样，每张抽中的卡显示其风险分和触发的风险信号。",
    rules: ['R-AUD-1'],
  })
  @ApiCreatedResponse({ type: CallbackAuditView, description: 'The audit with its sample' })
  @ApiProblems(
    400,
    domainProblem(
      409,
      'AUDIT_ALREADY_OPEN',
      'Dealer D001 already has an open callback audit for 2026-01; close it before drawing another.',
      'An audit of this dealer and month is open',
    ),
    domainProblem(
      422,
      'EMPTY_POPULATION',
      'Dealer D001 has no accepted warranty cards for 2026-01; there is nothing to sample.',
      'No accepted cards to sample',
    ),
  )
  async draw(@Body() dto: DrawCallbackAuditDto, @CurrentPrincipal() principal: Principal): Promise<CallbackAuditView> {
    return auditInLanguage(await this.audits.draw(dto, principal), requestLanguage());
  }

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'listCallbackAudits',
    summary: 'List callback audits',
    description: 'Callback audits, newest drawn first, filtered by dealer, month and status.',
    rules: ['R-AUD-1'],
  })
  @ApiPageResponse(CallbackAuditSummaryView, 'One page of audits')
  @ApiProblems(400)
  list(@Query() query: ListCallbackAuditsQuery): Promise<Page<CallbackAuditSummaryView>> {
    return this.audits.list(query);
  }

  @Get(':id')
  @Roles('after-sales', 'finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'getCallbackAudit',
    summary: 'Read a callback audit · 查看回访抽查',
    description:
      'The audit with its sample and the results so far; for a RISK audit each sampled card with its risk score and signals. · 抽查及其样本和已录入的结果；按风险抽样时含每张卡的风险分和风险信号。',
    rules: ['R-AUD-1', 'R-AUD-2'],
  })
  @ApiParam(AUDIT_ID_DOC)
  @ApiOkResponse({ type: CallbackAuditView, description: 'The audit' })
  @ApiProblems(AUDIT_NOT_FOUND)
  async get(@Param('id') id: string): Promise<CallbackAuditView> {
    return auditInLanguage(await this.audits.get(id), requestLanguage());
  }

  @Get(':id/redraw')
  @Roles('auditor', 'after-sales', 'finance', 'admin')
  @ApiDoc({
    id: 'redrawCallbackAudit',
    summary: 'Redraw a sample to check it · 复抽验证样本',
    description:
      'Recomputes the sample from the stored seed and population snapshot (and, for RISK, the stored risk scores) and says whether it matches the one drawn. · 用保存的种子、总体快照（按风险抽样时还有保存的风险分）重新抽样，并说明是否与原样本一致。',
    rules: ['R-AUD-1'],
  })
  @ApiParam(AUDIT_ID_DOC)
  @ApiOkResponse({ type: RedrawView, description: 'The redrawn sample and whether it matches' })
  @ApiProblems(AUDIT_NOT_FOUND)
  redraw(@Param('id') id: string): Promise<RedrawView> {
    return this.audits.redraw(id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiDoc({
    id: 'closeCallbackAudit',
    summary: 'Close a callback audit',
    description: 'Closes the audit once every sampled card has a result; the results are final afterwards.',
    rules: ['R-AUD-2', 'R-AUD-3'],
  })
  @ApiParam(AUDIT_ID_DOC)
  @ApiOkResponse({ type: CallbackAuditView, description: 'The closed audit' })
  @ApiProblems(
    AUDIT_NOT_FOUND,
    domainProblem(
      409,
      'AUDIT_RESULTS_MISSING',
      'Callback audit 2a1b… still has 2 sampled card(s) without a result.',
      'A sampled card has no result yet',
    ),
  )
  async close(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CallbackAuditView> {
    return auditInLanguage(await this.audits.close(id, principal), requestLanguage());
  }
}

@ApiTag('callback-audits', 'Callback audits: samples of accepted cards checked by calling the consumer (R-AUD-1..3)')
@ApiBearerAuth()
@Controller('v1/warranty-cards/:serial/audit')
export class WarrantyCardAuditController {
  constructor(private readonly audits: CallbackAuditsService) {}

  @Put()
  @Roles('after-sales')
  @ApiDoc({
    id: 'recordCallbackAuditResult',
    summary: "Record a sampled card's audit result",
    description:
      'Records the callback result of a card in an open audit sample, published as CallbackAuditRecorded; a FALSIFIED card is excluded and penalised, a late finding becomes a prior-period adjustment.',
    rules: ['R-AUD-1', 'R-AUD-2', 'R-AUD-3'],
  })
  @ApiParam({ name: 'serial', description: 'The serial of the sampled card', example: 'EB100-000123' })
  @ApiOkResponse({ type: AuditResultView, description: 'The recorded result' })
  @ApiProblems(400, {
    status: 404,
    detail: 'Warranty card EB100-000123 was not found.',
    description: 'The card is not in an open audit sample',
  })
  record(
    @Param(
      'serial',
      new PatternPipe('serial', SERIAL_REGEX, IDENTIFIER_TEXT.serial, (value) => value.trim().toUpperCase()),
    )
    serial: string,
    @Body() dto: RecordAuditResultDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AuditResultView> {
    return this.audits.recordResult(serial, dto, principal);
  }
}
