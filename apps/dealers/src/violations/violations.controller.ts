import { Body, Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiDoc, ApiPageResponse, ApiProblems, ApiTag, CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { ListPenaltyInputsQuery } from '../complaints/penalty-input.dto';
import { PenaltyInputsService } from '../complaints/penalty-inputs.service';
import { answerRecorded, RecordPenaltyInput } from '../complaints/record-penalty-input';
import { DEFAULT_VIOLATION_KIND, RecordViolationDto, ViolationView } from './violation.dto';

@ApiTag('violations', 'Violations attributed to a dealer, each a penalty on its statement')
@ApiBearerAuth()
@Controller('v1/violations')
export class ViolationsController {
  constructor(private readonly inputs: PenaltyInputsService) {}

  @RecordPenaltyInput(ViolationView)
  async record(
    @Body() dto: RecordViolationDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ViolationView> {
    const input = { ...dto, kind: dto.kind ?? DEFAULT_VIOLATION_KIND };
    return answerRecorded(reply, await this.inputs.record('violation', input, principal)) as ViolationView;
  }

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'listViolations',
    summary: 'List violations',
    description: 'Violations by date, filtered by dealer and month; a dealer sees only its own.',
  })
  @ApiPageResponse(ViolationView, 'One page of violations, by date')
  @ApiProblems(400)
  async list(
    @Query() query: ListPenaltyInputsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<ViolationView>> {
    return (await this.inputs.list('violation', query, principal)) as Page<ViolationView>;
  }

  @Get(':id')
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'getViolation',
    summary: 'Read a violation',
    description: 'One violation; a dealer reads only its own.',
  })
  @ApiParam({ name: 'id', description: 'The violation id (UUID)', example: '7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09' })
  @ApiOkResponse({ type: ViolationView, description: 'The violation' })
  @ApiProblems({
    status: 404,
    detail: 'Violation 7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09 was not found.',
    description: 'No violation with this id',
  })
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ViolationView> {
    return (await this.inputs.get('violation', id, principal)) as ViolationView;
  }
}
