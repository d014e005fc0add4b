import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { SERIAL_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
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
    summary: 'Draw a callback audit sample',
    description:
      "Draws a sample of a dealer's accepted cards of a month from a stored seed and population snapshot, so anyone can redraw it; one open audit per dealer and month.",
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
  draw(@Body() dto: DrawCallbackAuditDto, @CurrentPrincipal() principal: Principal): Promise<CallbackAuditView> {
    return this.audits.draw(dto, principal);
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
    summary: 'Read a callback audit',
    description: 'The audit with its sample and the results so far.',
    rules: ['R-AUD-1', 'R-AUD-2'],
  })
  @ApiParam(AUDIT_ID_DOC)
  @ApiOkResponse({ type: CallbackAuditView, description: 'The audit' })
  @ApiProblems(AUDIT_NOT_FOUND)
  get(@Param('id') id: string): Promise<CallbackAuditView> {
    return this.audits.get(id);
  }

  @Get(':id/redraw')
  @Roles('auditor', 'after-sales', 'finance', 'admin')
  @ApiDoc({
    id: 'redrawCallbackAudit',
    summary: 'Redraw a sample to check it',
    description:
      'Recomputes the sample from the stored seed and population snapshot and says whether it matches the one drawn.',
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
  close(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CallbackAuditView> {
    return this.audits.close(id, principal);
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
