import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
  domainProblem,
  Page,
  Principal,
  Roles,
} from '@app/platform';
import {
  ApplyReturnDto,
  ApproveReturnDto,
  ListReturnsQuery,
  RejectReturnDto,
  ReturnSummaryView,
  ReturnView,
} from './return.dto';
import { ReturnViews } from './return-views';
import { ReturnsService } from './returns.service';
import { RETURN_ID_DOC, RETURN_NOT_FOUND_DOC, RETURN_STATUS_DOC, DOCUMENT_DATE_DOC } from './returns.problems';

@ApiTag('returns', 'Product returns: applied for by dealers, approved, received, closed with charges (R-RET-1..4)')
@ApiBearerAuth()
@Controller('v1/returns')
export class ReturnsController {
  constructor(
    private readonly returns: ReturnsService,
    private readonly views: ReturnViews,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('dealer')
  @ApiDoc({
    id: 'applyForReturn',
    summary: 'Apply for a product return',
    description:
      'The dealer applies to return products; each line is classified (DOA, quality, batch defect, …) as of the application date (default today, never in the future).',
    rules: ['R-RET-1', 'R-RET-2', 'R-SET-10'],
  })
  @ApiCreatedResponse({ type: ReturnView, description: 'The application with its classified lines' })
  @ApiProblems(400, DOCUMENT_DATE_DOC)
  apply(@Body() dto: ApplyReturnDto, @CurrentPrincipal() principal: Principal): Promise<ReturnView> {
    return this.returns.apply(principal, dto);
  }

  @Get()
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'listReturns',
    summary: 'List returns',
    description: 'Returns, newest application first, filtered by dealer and status; a dealer sees only its own.',
    rules: ['R-RET-1'],
  })
  @ApiPageResponse(ReturnSummaryView, 'One page of returns')
  @ApiProblems(400)
  list(@Query() query: ListReturnsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<ReturnSummaryView>> {
    return this.views.list(principal, query);
  }

  @Get(':id')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'getReturn',
    summary: 'Read a return',
    description: 'One return with its lines; a dealer reads only its own.',
  })
  @ApiParam(RETURN_ID_DOC)
  @ApiOkResponse({ type: ReturnView, description: 'The return' })
  @ApiProblems(RETURN_NOT_FOUND_DOC)
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ReturnView> {
    return this.views.get(principal, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiDoc({
    id: 'approveReturn',
    summary: 'Approve a return application',
    description: 'Approves an applied return; each line gets a class its dates allow (by default the computed class).',
    rules: ['R-RET-2'],
  })
  @ApiParam(RETURN_ID_DOC)
  @ApiOkResponse({ type: ReturnView, description: 'The return, APPROVED' })
  @ApiProblems(
    400,
    RETURN_NOT_FOUND_DOC,
    RETURN_STATUS_DOC,
    domainProblem(
      422,
      'CLASS_NOT_ALLOWED',
      'A class the dates do not allow was chosen (R-RET-2).',
      "A line's class is not allowed by its dates",
    ),
  )
  approve(
    @Param('id') id: string,
    @Body() dto: ApproveReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.returns.approve(principal, id, dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiDoc({
    id: 'rejectReturn',
    summary: 'Reject a return application',
    description: 'Rejects an applied return with a reason.',
    rules: ['R-RET-1'],
  })
  @ApiParam(RETURN_ID_DOC)
  @ApiOkResponse({ type: ReturnView, description: 'The return, REJECTED' })
  @ApiProblems(400, RETURN_NOT_FOUND_DOC, RETURN_STATUS_DOC)
  reject(
    @Param('id') id: string,
    @Body() dto: RejectReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.returns.reject(principal, id, dto);
  }
}
