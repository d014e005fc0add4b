import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
  dealerScope,
  domainProblem,
  Page,
  Principal,
  Roles,
} from '@app/platform';
import { ApproveRequisitionDto, FileRequisitionDto, ListRequisitionsQuery, RequisitionView } from './requisition.dto';
import { ApproveRequisitionUseCase } from './approve-requisition.use-case';
import { RequisitionsService } from './requisitions.service';
import { ShipRequisitionUseCase } from './ship-requisition.use-case';

const REQUISITION_ID = {
  name: 'id',
  description: 'The requisition id (UUID)',
  example: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8',
};
const REQUISITION_NOT_FOUND = {
  status: 404,
  detail: 'Requisition 4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8 was not found.',
  description: 'No requisition with this id (or, for a dealer, not its own)',
};
const DOCUMENT_DATE = domainProblem(
  422,
  'DOCUMENT_DATE',
  'approvedOn 2026-02-01 is in the future (today is 2026-01-12 in Asia/Shanghai).',
  'The document date is in the future or before the filing date',
);
const FILING_REFUSALS = [
  domainProblem(422, 'DEALER_NOT_ACTIVE', 'Dealer D001 is SUSPENDED.', 'The dealer is not active'),
  domainProblem(422, 'UNKNOWN_PART', 'CTRL-99 is not in the price list.', 'A part is not in the price list'),
  DOCUMENT_DATE,
];

@ApiTag('requisitions', 'Parts requisitions: filed by dealers, approved, shipped (R-PRT-1..4)')
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
  @ApiDoc({
    id: 'fileRequisition',
    summary: 'File a parts requisition',
    description:
      'The dealer files a requisition on filedOn (default today, never in the future); the answer shows its preview value at current prices, the charge target of each line and the fund balance.',
    rules: ['R-PRT-1', 'R-PRT-2', 'R-PRT-3', 'R-SET-10'],
  })
  @ApiCreatedResponse({ type: RequisitionView, description: 'The requisition, SUBMITTED' })
  @ApiProblems(400, ...FILING_REFUSALS)
  file(@Body() dto: FileRequisitionDto, @CurrentPrincipal() principal: Principal): Promise<RequisitionView> {
    return this.requisitions.file(dto, principal);
  }

  @Get()
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'listRequisitions',
    summary: 'List requisitions',
    description: 'Requisitions, newest filed first, filtered by dealer, status and month; a dealer sees only its own.',
  })
  @ApiPageResponse(RequisitionView, 'One page of requisitions')
  @ApiProblems(400)
  list(
    @Query() query: ListRequisitionsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<RequisitionView>> {
    return this.requisitions.list(query, dealerScope(principal, query.dealer));
  }

  @Get(':id')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'getRequisition',
    summary: 'Read a requisition',
    description: 'One requisition with its lines; a dealer reads only its own.',
  })
  @ApiParam(REQUISITION_ID)
  @ApiOkResponse({ type: RequisitionView, description: 'The requisition' })
  @ApiProblems(REQUISITION_NOT_FOUND)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<RequisitionView> {
    return this.requisitions.get(id, principal);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiDoc({
    id: 'approveRequisition',
    summary: 'Approve a requisition',
    description:
      "Approves a SUBMITTED requisition (quantities may be cut with a reason), valued at the prices in force on approvedOn (default today, not in the future nor before filedOn) and charged per the agreement's partsCharging; publishes RequisitionApproved.",
    rules: ['R-PRT-1', 'R-PRT-2', 'R-PRT-3', 'R-SET-10'],
  })
  @ApiParam(REQUISITION_ID)
  @ApiOkResponse({ type: RequisitionView, description: 'The requisition, APPROVED' })
  @ApiProblems(
    400,
    REQUISITION_NOT_FOUND,
    domainProblem(
      409,
      'REQUISITION_NOT_SUBMITTED',
      'Requisition 4e5f… is APPROVED; only a SUBMITTED requisition can be approved.',
      'Not SUBMITTED',
    ),
    domainProblem(
      422,
      'PRICE_NOT_IN_FORCE',
      'CTRL-48V has no price in force on 2026-01-12.',
      'A part has no price on the approval date',
    ),
    domainProblem(
      422,
      'AMOUNT_OVER_LIMIT',
      'The requisition would exceed 9,999,999,999.99.',
      'The value is over the limit of one fact',
    ),
    DOCUMENT_DATE,
  )
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
  @ApiDoc({
    id: 'shipRequisition',
    summary: 'Ship an approved requisition',
    description:
      'Marks an APPROVED requisition shipped and sets the due date of the old parts owed back; publishes RequisitionShipped.',
    rules: ['R-PRT-4'],
  })
  @ApiParam(REQUISITION_ID)
  @ApiOkResponse({ type: RequisitionView, description: 'The requisition, SHIPPED' })
  @ApiProblems(
    REQUISITION_NOT_FOUND,
    domainProblem(
      409,
      'REQUISITION_NOT_APPROVED',
      'Requisition 4e5f… is SUBMITTED; only an APPROVED requisition can be shipped.',
      'Not APPROVED',
    ),
  )
  ship(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<RequisitionView> {
    return this.shipment.ship(id, principal);
  }
}
