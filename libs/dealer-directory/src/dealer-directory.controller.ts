import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DEALER_CODE_REGEX } from '@app/contracts';
import {
  assertDealerAccess,
  CurrentPrincipal,
  notFoundProblem,
  PatternPipe,
  Principal,
  problemText,
  Roles,
} from '@app/platform';
import { DealerDirectoryService } from './dealer-directory.service';

/** Read access to this service's projection of a dealer, so its state here can be checked. */
@ApiTags('dealer-directory')
@ApiBearerAuth()
@Controller('v1/dealer-directory')
export class DealerDirectoryController {
  constructor(private readonly directory: DealerDirectoryService) {}

  @Get(':code')
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiOkResponse({ description: 'The dealer and its agreement versions as this service knows them' })
  async get(
    @Param('code', new PatternPipe('code', DEALER_CODE_REGEX, 'a dealer code')) code: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertDealerAccess(principal, code);
    const dealer = await this.directory.findDealer(code);
    if (!dealer) throw notFoundProblem(problemText('dealerNotKnownHere', { code }));
    const agreements = await this.directory.agreementVersions(code);
    return { code: dealer.code, name: dealer.name, region: dealer.region, status: dealer.status, agreements };
  }
}
