import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { DEALER_CODE_REGEX } from '@app/contracts';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  notFoundProblem,
  PatternPipe,
  Principal,
  Roles,
} from '@app/platform';
import { DealerDirectoryService } from './dealer-directory.service';
import { KnownDealerView } from './dealer-directory.view';

/** Read access to this service's projection of a dealer, so its state here can be checked. */
@ApiTag(
  'dealer-directory',
  "This service's copy of the dealers and their agreements, built from the dealers service's events",
)
@ApiBearerAuth()
@Controller('v1/dealer-directory')
export class DealerDirectoryController {
  constructor(private readonly directory: DealerDirectoryService) {}

  @Get(':code')
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiDoc({
    id: 'getKnownDealer',
    summary: "Read this service's copy of a dealer",
    description:
      'The dealer and its agreement versions as this service knows them from the events it consumed, to check that a registration or agreement arrived here.',
  })
  @ApiParam({ name: 'code', description: 'The dealer code', example: 'D001' })
  @ApiOkResponse({ type: KnownDealerView, description: 'The dealer as known here' })
  @ApiProblems(400, {
    status: 404,
    detail: 'Dealer D001 is not known to this service.',
    description: 'The dealer is not known to this service (yet)',
  })
  async get(
    @Param('code', new PatternPipe('code', DEALER_CODE_REGEX, 'a dealer code')) code: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertDealerAccess(principal, code);
    const dealer = await this.directory.findDealer(code);
    if (!dealer) throw notFoundProblem(`Dealer ${code} is not known to this service.`);
    const agreements = await this.directory.agreementVersions(code);
    return { code: dealer.code, name: dealer.name, region: dealer.region, status: dealer.status, agreements };
  }
}
