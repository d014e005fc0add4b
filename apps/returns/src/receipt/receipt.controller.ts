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
import { ReturnView } from '../applications/return.dto';
import { ListRefusedGoodsQuery, ReceiveReturnDto, RecordRefusedGoodsDto, RefusedGoodsView } from './receipt.dto';
import { ReceiveReturnUseCase } from './receive-return.use-case';
import {
  RETURN_ID_DOC,
  RETURN_NOT_FOUND_DOC,
  RETURN_STATUS_DOC,
  DOCUMENT_DATE_DOC,
} from '../applications/returns.problems';

@ApiTag('returns', 'Product returns: applied for by dealers, approved, received, closed with charges (R-RET-1..4)')
@ApiBearerAuth()
@Controller('v1/returns')
export class ReceiptController {
  constructor(private readonly receipt: ReceiveReturnUseCase) {}

  @Post('unsolicited-receipts')
  @HttpCode(201)
  @Roles('after-sales')
  @ApiDoc({
    id: 'recordRefusedGoods',
    summary: 'Record goods sent without an approved application',
    description: "Records goods that arrived without an approved application as refused (the dealer's loss).",
    rules: ['R-RET-1'],
  })
  @ApiCreatedResponse({ type: RefusedGoodsView, description: 'The refused goods' })
  @ApiProblems(
    400,
    domainProblem(
      409,
      'RETURN_APPROVED',
      'Return 0f8f… is approved; receive it instead.',
      'The goods belong to an approved return',
    ),
  )
  recordRefused(
    @Body() dto: RecordRefusedGoodsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RefusedGoodsView> {
    return this.receipt.recordRefused(principal, dto);
  }

  @Get('unsolicited-receipts')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'listRefusedGoods',
    summary: 'List refused goods',
    description: 'Goods received without an approved application, newest recorded first; a dealer sees only its own.',
    rules: ['R-RET-1'],
  })
  @ApiPageResponse(RefusedGoodsView, 'One page of refused goods')
  @ApiProblems(400)
  listRefused(
    @Query() query: ListRefusedGoodsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<RefusedGoodsView>> {
    return this.receipt.listRefused(principal, query);
  }

  @Post(':id/receive')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiDoc({
    id: 'receiveReturn',
    summary: 'Receive a returned consignment',
    description:
      "Records the counted quantities per line (the manufacturer's count stands) and refusals line by line, dated receivedOn (default today, not in the future nor before the application).",
    rules: ['R-RET-3', 'R-SET-10'],
  })
  @ApiParam(RETURN_ID_DOC)
  @ApiOkResponse({ type: ReturnView, description: 'The return, RECEIVED' })
  @ApiProblems(
    400,
    RETURN_NOT_FOUND_DOC,
    {
      ...RETURN_STATUS_DOC,
      code: 'ALREADY_RECEIVED',
      detail: 'Return 0f8f… was already received.',
      description: 'Already received',
    },
    domainProblem(
      409,
      'NO_APPROVED_APPLICATION',
      'Return 0f8f… is APPLIED; only an approved application is received.',
      'Not approved',
    ),
    DOCUMENT_DATE_DOC,
  )
  receive(
    @Param('id') id: string,
    @Body() dto: ReceiveReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.receipt.receive(principal, id, dto);
  }
}
