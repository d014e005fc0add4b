import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, dealerScope, Page, Principal, Roles } from '@app/platform';
import { ApproveRequisitionDto, FileRequisitionDto, ListRequisitionsQuery, RequisitionView } from './requisition.dto';
import { ApproveRequisitionUseCase } from './approve-requisition.use-case';
import { RequisitionsService } from './requisitions.service';
import { ShipRequisitionUseCase } from './ship-requisition.use-case';

@ApiTags('requisitions')
@ApiBearerAuth()
@Controller('v1/requisitions')
export class RequisitionsController {
  constructor(
    private readonly requisitions: RequisitionsService,
    private readonly approval: ApproveRequisitionUseCase,
    private readonly shipment: ShipRequisitionUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('dealer')
  @ApiCreatedResponse({
    type: RequisitionView,
    description:
      'Filed for the calling dealer on filedOn (R-SET-10, default today; 422 DOCUMENT_DATE when in the future); ' +
      'shows the preview value, charge targets and fund balance',
  })
  file(@Body() dto: FileRequisitionDto, @CurrentPrincipal() principal: Principal): Promise<RequisitionView> {
    return this.requisitions.file(dto, principal);
  }

  @Get()
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({ description: 'Requisitions, newest filed first, cursor-paginated; a dealer sees only its own' })
  list(
    @Query() query: ListRequisitionsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<RequisitionView>> {
    return this.requisitions.list(query, dealerScope(principal, query.dealer));
  }

  @Get(':id')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({ type: RequisitionView })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<RequisitionView> {
    return this.requisitions.get(id, principal);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: RequisitionView,
    description:
      'R-PRT-1/2/3: valued at the prices in force on the approval date (R-SET-10: approvedOn, default today), charged ' +
      'per partsCharging; publishes RequisitionApproved. 422 DOCUMENT_DATE for a date in the future or before filedOn',
  })
  approve(
    @Param('id') id: string,
    @Body() dto: ApproveRequisitionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RequisitionView> {
    return this.approval.approve(id, dto, principal);
  }

  @Post(':id/ship')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: RequisitionView,
    description: 'R-PRT-4: sets the old parts due date; publishes RequisitionShipped',
  })
  ship(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<RequisitionView> {
    return this.shipment.ship(id, principal);
  }
}
