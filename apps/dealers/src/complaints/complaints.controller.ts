import { Body, Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiDoc, ApiPageResponse, ApiProblems, ApiTag, CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { ComplaintView, RecordComplaintDto } from './complaint.dto';
import { ListPenaltyInputsQuery } from './penalty-input.dto';
import { PenaltyInputsService } from './penalty-inputs.service';
import { answerRecorded, RecordPenaltyInput } from './record-penalty-input';

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
  @ApiDoc({
    id: 'listComplaints',
    summary: 'List complaints',
    description: 'Complaints by date, filtered by dealer and month; a dealer sees only its own.',
  })
  @ApiPageResponse(ComplaintView, 'One page of complaints, by date')
  @ApiProblems(400)
  list(@Query() query: ListPenaltyInputsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<ComplaintView>> {
    return this.inputs.list('complaint', query, principal);
  }

  @Get(':id')
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'getComplaint',
    summary: 'Read a complaint',
    description: 'One complaint; a dealer reads only its own.',
  })
  @ApiParam({ name: 'id', description: 'The complaint id (UUID)', example: '7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09' })
  @ApiOkResponse({ type: ComplaintView, description: 'The complaint' })
  @ApiProblems({
    status: 404,
    detail: 'Complaint 7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09 was not found.',
    description: 'No complaint with this id',
  })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ComplaintView> {
    return this.inputs.get('complaint', id, principal);
  }
}
