import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  domainProblem,
  Page,
  Principal,
  Roles,
} from '@app/platform';
import { DEALER_CODE_DOC, DEALER_CODE_PARAM } from './dealer.dto';
import { DealerView, ListDealersQuery, RegisterDealerDto } from './dealer.dto';
import { DealersService } from './dealers.service';

@ApiTag('dealers', 'The dealer registry: dealers and their codes (DOMAIN §2)')
@ApiBearerAuth()
@Controller('v1/dealers')
export class DealersController {
  constructor(private readonly dealers: DealersService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin', 'finance')
  @ApiDoc({
    id: 'registerDealer',
    summary: 'Register a dealer',
    description: 'Registers a dealer under a new code; publishes DealerRegistered so the other services learn it.',
  })
  @ApiCreatedResponse({ type: DealerView, description: 'The registered dealer' })
  @ApiProblems(400, domainProblem(409, 'DEALER_EXISTS', 'Dealer D001 already exists.', 'The code is taken'))
  register(@Body() dto: RegisterDealerDto): Promise<DealerView> {
    return this.dealers.register(dto);
  }

  @Get()
  @Roles('admin', 'finance', 'after-sales', 'auditor')
  @ApiDoc({ id: 'listDealers', summary: 'List dealers', description: 'The registered dealers by code.' })
  @ApiPageResponse(DealerView, 'One page of dealers, by code')
  @ApiProblems(400)
  list(@Query() query: ListDealersQuery): Promise<Page<DealerView>> {
    return this.dealers.list(query.limit ?? 100, query.cursor);
  }

  @Get(':code')
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiDoc({ id: 'getDealer', summary: 'Read a dealer', description: 'One dealer; a dealer reads only itself.' })
  @ApiParam(DEALER_CODE_DOC)
  @ApiOkResponse({ type: DealerView, description: 'The dealer' })
  @ApiProblems(400, { status: 404, detail: 'Dealer D009 was not found.', description: 'No dealer with this code' })
  get(@Param('code', DEALER_CODE_PARAM) code: string, @CurrentPrincipal() principal: Principal): Promise<DealerView> {
    assertDealerAccess(principal, code);
    return this.dealers.get(code);
  }
}
