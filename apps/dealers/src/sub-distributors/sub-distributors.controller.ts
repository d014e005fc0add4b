import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  domainProblem,
  Principal,
  Roles,
} from '@app/platform';
import { DEALER_CODE_DOC, DEALER_CODE_PARAM } from '../registry/dealer.dto';
import { RegisterSubDistributorDto, SubDistributorView } from './sub-distributor.dto';
import { SubDistributorsService } from './sub-distributors.service';

@ApiTag('sub-distributors', "A dealer's sub-distributors, valid outlets on its warranty cards")
@ApiParam(DEALER_CODE_DOC)
@ApiBearerAuth()
@Controller('v1/dealers/:code/sub-distributors')
export class SubDistributorsController {
  constructor(private readonly subDistributors: SubDistributorsService) {}

  @Post()
  @HttpCode(201)
  @Roles('finance')
  @ApiDoc({
    id: 'registerSubDistributor',
    summary: 'Register a sub-distributor',
    description:
      "Registers a sub-distributor of the dealer; its code becomes a valid outlet on the dealer's warranty cards.",
    rules: ['R-CARD-1'],
  })
  @ApiProblems(
    400,
    { status: 404, detail: 'Dealer D009 was not found.', description: 'No dealer with this code' },
    domainProblem(
      409,
      'OUTLET_CODE_TAKEN',
      'Outlet code D001-S1 is already a dealer or a sub-distributor.',
      'The code is taken',
    ),
  )
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
  @ApiDoc({
    id: 'listSubDistributors',
    summary: "List a dealer's sub-distributors",
    description: 'The sub-distributors of the dealer; a dealer reads only its own.',
  })
  @ApiOkResponse({ type: [SubDistributorView], description: 'The sub-distributors' })
  @ApiProblems(400)
  list(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubDistributorView[]> {
    assertDealerAccess(principal, code);
    return this.subDistributors.list(code);
  }
}
