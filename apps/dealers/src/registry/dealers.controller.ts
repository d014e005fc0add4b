import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { assertDealerAccess, CurrentPrincipal, Page, Principal, Roles } from '@app/platform';
import { DEALER_CODE_PARAM } from './dealer.dto';
import { DealerView, ListDealersQuery, RegisterDealerDto } from './dealer.dto';
import { DealersService } from './dealers.service';

@ApiTags('dealers')
@ApiBearerAuth()
@Controller('v1/dealers')
export class DealersController {
  constructor(private readonly dealers: DealersService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin', 'finance')
  @ApiCreatedResponse({ type: DealerView })
  register(@Body() dto: RegisterDealerDto): Promise<DealerView> {
    return this.dealers.register(dto);
  }

  @Get()
  @Roles('admin', 'finance', 'after-sales', 'auditor')
  @ApiOkResponse({ description: 'Dealers by code, cursor-paginated' })
  list(@Query() query: ListDealersQuery): Promise<Page<DealerView>> {
    return this.dealers.list(query.limit ?? 100, query.cursor);
  }

  @Get(':code')
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiOkResponse({ type: DealerView })
  get(@Param('code', DEALER_CODE_PARAM) code: string, @CurrentPrincipal() principal: Principal): Promise<DealerView> {
    assertDealerAccess(principal, code);
    return this.dealers.get(code);
  }
}
