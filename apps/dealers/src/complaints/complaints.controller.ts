import { Body, Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiTag, CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { ComplaintView, RecordComplaintDto } from './complaint.dto';
import { ListPenaltyInputsQuery } from './penalty-input.dto';
import { PenaltyInputsService } from './penalty-inputs.service';
import { answerRecorded, GetPenaltyInputDoc, ListPenaltyInputsDoc, RecordPenaltyInput } from './record-penalty-input';

@ApiTag('complaints', 'Complaints attributed to a dealer, each a penalty on its statement')
@ApiBearerAuth()
@Controller('v1/complaints')
export class ComplaintsController {
  constructor(private readonly inputs: PenaltyInputsService) {}

  @RecordPenaltyInput(ComplaintView)
  async record(
    @Body() dto: RecordComplaintDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintView> {
    return answerRecorded(reply, await this.inputs.record('complaint', dto, principal));
  }

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ListPenaltyInputsDoc(ComplaintView)
  list(@Query() query: ListPenaltyInputsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<ComplaintView>> {
    return this.inputs.list('complaint', query, principal);
  }

  @Get(':id')
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @GetPenaltyInputDoc(ComplaintView)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ComplaintView> {
    return this.inputs.get('complaint', id, principal);
  }
}
