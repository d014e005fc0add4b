import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { ReturnView } from '../applications/return.dto';
import { ListRefusedGoodsQuery, ReceiveReturnDto, RecordRefusedGoodsDto, RefusedGoodsView } from './receipt.dto';
import { ReceiveReturnUseCase } from './receive-return.use-case';

@ApiTags('returns')
@ApiBearerAuth()
@Controller('v1/returns')
export class ReceiptController {
  constructor(private readonly receipt: ReceiveReturnUseCase) {}

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
  @ApiOkResponse({ description: 'Refused goods, newest recorded first, cursor-paginated; a dealer sees its own' })
  listRefused(
    @Query() query: ListRefusedGoodsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<RefusedGoodsView>> {
    return this.receipt.listRefused(principal, query);
  }

  @Post(':id/receive')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: ReturnView,
    description:
      "R-RET-3: counted quantities per line (the manufacturer's count stands), refusals line by line; dated " +
      'receivedOn (R-SET-10, default today; 422 DOCUMENT_DATE in the future or before the application date)',
  })
  receive(
    @Param('id') id: string,
    @Body() dto: ReceiveReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.receipt.receive(principal, id, dto);
  }
}
