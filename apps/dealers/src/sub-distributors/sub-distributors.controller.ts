import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { assertDealerAccess, CurrentPrincipal, Principal, Roles } from '@app/platform';
import { DEALER_CODE_PARAM } from '../registry/dealer.dto';
import { RegisterSubDistributorDto, SubDistributorView } from './sub-distributor.dto';
import { SubDistributorsService } from './sub-distributors.service';

@ApiTags('sub-distributors')
@ApiBearerAuth()
@Controller('v1/dealers/:code/sub-distributors')
export class SubDistributorsController {
  constructor(private readonly subDistributors: SubDistributorsService) {}

  @Post()
  @HttpCode(201)
  @Roles('finance')
  @ApiCreatedResponse({
    type: SubDistributorView,
    description: "Registered; its code is now a valid outlet on the dealer's warranty cards",
  })
  register(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Body() dto: RegisterSubDistributorDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubDistributorView> {
    return this.subDistributors.register(code, dto, principal);
  }

  @Get()
  @Roles('finance', 'admin', 'after-sales', 'auditor', 'dealer')
  @ApiOkResponse({ type: [SubDistributorView] })
  list(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubDistributorView[]> {
    assertDealerAccess(principal, code);
    return this.subDistributors.list(code);
  }
}
