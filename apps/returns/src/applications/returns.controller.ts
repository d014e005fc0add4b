import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
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

@ApiTags('returns')
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
  @ApiCreatedResponse({
    type: ReturnView,
    description:
      'R-RET-1: the application with each line classified per R-RET-2 as of its application date (R-SET-10: ' +
      'applicationDate, default today; 422 DOCUMENT_DATE when in the future)',
  })
  apply(@Body() dto: ApplyReturnDto, @CurrentPrincipal() principal: Principal): Promise<ReturnView> {
    return this.returns.apply(principal, dto);
  }

  @Get()
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({ description: 'Returns, newest application first, cursor-paginated; a dealer sees its own' })
  list(@Query() query: ListReturnsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<ReturnSummaryView>> {
    return this.views.list(principal, query);
  }

  @Get(':id')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({ type: ReturnView })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ReturnView> {
    return this.views.get(principal, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: ReturnView,
    description: 'R-RET-2: each line gets a class its dates allow (default: the computed class)',
  })
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
  @ApiOkResponse({ type: ReturnView })
  reject(
    @Param('id') id: string,
    @Body() dto: RejectReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.returns.reject(principal, id, dto);
  }
}
