import { Body, Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { ComplaintView, RecordComplaintDto } from './complaint.dto';
import { ListPenaltyInputsQuery } from './penalty-input.dto';
import { PenaltyInputsService } from './penalty-inputs.service';
import { answerRecorded, RecordPenaltyInput } from './record-penalty-input';

@ApiTags('complaints')
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
  @ApiOkResponse({ description: 'Complaints, newest date first, cursor-paginated; a dealer sees only its own' })
  list(@Query() query: ListPenaltyInputsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<ComplaintView>> {
    return this.inputs.list('complaint', query, principal);
  }

  @Get(':id')
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiOkResponse({ type: ComplaintView })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ComplaintView> {
    return this.inputs.get('complaint', id, principal);
  }
}
