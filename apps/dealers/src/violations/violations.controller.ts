import { Body, Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiTag, CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { ListPenaltyInputsQuery } from '../complaints/penalty-input.dto';
import { PenaltyInputsService } from '../complaints/penalty-inputs.service';
import {
  answerRecorded,
  GetPenaltyInputDoc,
  ListPenaltyInputsDoc,
  RecordPenaltyInput,
} from '../complaints/record-penalty-input';
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
  @ListPenaltyInputsDoc(ViolationView)
  async list(
    @Query() query: ListPenaltyInputsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<ViolationView>> {
    return (await this.inputs.list('violation', query, principal)) as Page<ViolationView>;
  }

  @Get(':id')
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @GetPenaltyInputDoc(ViolationView)
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ViolationView> {
    return (await this.inputs.get('violation', id, principal)) as ViolationView;
  }
}
