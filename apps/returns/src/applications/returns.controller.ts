import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { CloseReturnDto } from '../charges/close-return.dto';
import { CloseReturnUseCase } from '../charges/close-return.use-case';
import {
  ListRefusedGoodsQuery,
  ReceiveReturnDto,
  RecordRefusedGoodsDto,
  RefusedGoodsView,
} from '../receipt/receipt.dto';
import { ReceiveReturnUseCase } from '../receipt/receive-return.use-case';
import {
  ApplyReturnDto,
  ApproveReturnDto,
  ListReturnsQuery,
  RejectReturnDto,
  ReturnSummaryView,
  ReturnView,
} from './return.dto';
import { ReturnsService } from './returns.service';

@ApiTags('returns')
@ApiBearerAuth()
@Controller('v1/returns')
export class ReturnsController {
  constructor(
    private readonly returns: ReturnsService,
    private readonly receipt: ReceiveReturnUseCase,
    private readonly closing: CloseReturnUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('dealer')
  @ApiCreatedResponse({
    type: ReturnView,
    description: 'R-RET-1: the application with each line classified per R-RET-2 as of today',
  })
  apply(@Body() dto: ApplyReturnDto, @CurrentPrincipal() principal: Principal): Promise<ReturnView> {
    return this.returns.apply(principal, dto);
  }

  @Get()
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({ description: 'Returns in application order, cursor-paginated; a dealer sees its own' })
  list(@Query() query: ListReturnsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<ReturnSummaryView>> {
    return this.returns.list(principal, query);
  }

  @Post('unsolicited-receipts')
  @HttpCode(201)
  @Roles('after-sales')
  @ApiCreatedResponse({
    type: RefusedGoodsView,
    description: "R-RET-1: goods that arrived without an approved application, recorded as refused (the dealer's loss)",
  })
  recordRefused(
    @Body() dto: RecordRefusedGoodsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RefusedGoodsView> {
    return this.receipt.recordRefused(principal, dto);
  }

  @Get('unsolicited-receipts')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({ description: 'Refused goods, cursor-paginated; a dealer sees its own' })
  listRefused(
    @Query() query: ListRefusedGoodsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<RefusedGoodsView>> {
    return this.receipt.listRefused(principal, query);
  }

  @Get(':id')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiOkResponse({ type: ReturnView })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<ReturnView> {
    return this.returns.get(principal, id);
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

  @Post(':id/receive')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: ReturnView,
    description: "R-RET-3: counted quantities per line (the manufacturer's count stands), refusals line by line",
  })
  receive(
    @Param('id') id: string,
    @Body() dto: ReceiveReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.receipt.receive(principal, id, dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: ReturnView,
    description: 'R-RET-4: charges from the carrier bill and parts at list price; publishes ReturnClosed',
  })
  close(
    @Param('id') id: string,
    @Body() dto: CloseReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.closing.close(principal, id, dto);
  }
}
