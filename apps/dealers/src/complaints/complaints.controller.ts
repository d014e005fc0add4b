import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, IDEMPOTENT_REPLAYED_HEADER, Page, Principal, Roles } from '@app/platform';
import { ComplaintView, RecordComplaintDto } from './complaint.dto';
import { ListPenaltyInputsQuery } from './penalty-input.dto';
import { PenaltyInputsService } from './penalty-inputs.service';

@ApiTags('complaints')
@ApiBearerAuth()
@Controller('v1/complaints')
export class ComplaintsController {
  constructor(private readonly inputs: PenaltyInputsService) {}

  @Post()
  @HttpCode(201)
  @Roles('after-sales')
  @ApiCreatedResponse({
    type: ComplaintView,
    description: 'Idempotent on reference: the same content again answers the first record; other content is a 409',
  })
  async record(
    @Body() dto: RecordComplaintDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintView> {
    const { view, created } = await this.inputs.record('complaint', dto, principal);
    if (!created) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return view;
  }

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiOkResponse({ description: 'Complaints by date, cursor-paginated; a dealer sees only its own' })
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
