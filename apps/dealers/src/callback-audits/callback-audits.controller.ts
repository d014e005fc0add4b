import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SERIAL_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import { CurrentPrincipal, Page, PatternPipe, Principal, Roles } from '@app/platform';
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

@ApiTags('callback-audits')
@ApiBearerAuth()
@Controller('v1/audits')
export class CallbackAuditsController {
  constructor(private readonly audits: CallbackAuditsService) {}

  @Post()
  @HttpCode(201)
  @Roles('after-sales')
  @ApiCreatedResponse({
    type: CallbackAuditView,
    description: "R-AUD-1: a sample of the month's accepted cards, drawn from a stored seed",
  })
  draw(@Body() dto: DrawCallbackAuditDto, @CurrentPrincipal() principal: Principal): Promise<CallbackAuditView> {
    return this.audits.draw(dto, principal);
  }

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({
    description: 'Callback audits, newest drawn first, cursor-paginated, filtered by dealer, month and status',
  })
  list(@Query() query: ListCallbackAuditsQuery): Promise<Page<CallbackAuditSummaryView>> {
    return this.audits.list(query);
  }

  @Get(':id')
  @Roles('after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({ type: CallbackAuditView })
  get(@Param('id') id: string): Promise<CallbackAuditView> {
    return this.audits.get(id);
  }

  @Get(':id/redraw')
  @Roles('auditor', 'after-sales', 'finance', 'admin')
  @ApiOkResponse({
    type: RedrawView,
    description:
      'R-AUD-1: recomputes the sample from the stored seed and population snapshot and says whether it matches',
  })
  redraw(@Param('id') id: string): Promise<RedrawView> {
    return this.audits.redraw(id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: CallbackAuditView,
    description: 'Once every sampled card has a result; results are final afterwards',
  })
  close(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CallbackAuditView> {
    return this.audits.close(id, principal);
  }
}

@ApiTags('callback-audits')
@ApiBearerAuth()
@Controller('v1/warranty-cards/:serial/audit')
export class WarrantyCardAuditController {
  constructor(private readonly audits: CallbackAuditsService) {}

  @Put()
  @Roles('after-sales')
  @ApiOkResponse({
    type: AuditResultView,
    description: 'R-AUD-1..3: the result for a card in an open audit sample, published as CallbackAuditRecorded',
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
