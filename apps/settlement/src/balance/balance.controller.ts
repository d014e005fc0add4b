import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DEALER_CODE_REGEX } from '@app/contracts';
import { assertDealerAccess, CurrentPrincipal, PatternPipe, Principal, QuarterPipe, Roles } from '@app/platform';
import { BalanceService } from './balance.service';
import { BalanceView } from './balance.view';

@ApiTags('balance')
@ApiBearerAuth()
@Controller('v1/dealers/:code/balance')
export class BalanceController {
  constructor(private readonly balances: BalanceService) {}

  @Get()
  @Roles('dealer', 'finance', 'auditor', 'admin')
  @ApiQuery({
    name: 'quarter',
    required: false,
    example: '2026-Q1',
    description: "Defaults to the quarter of the dealer's latest reported month",
  })
  @ApiOkResponse({ type: BalanceView })
  get(
    @Param('code', new PatternPipe('code', DEALER_CODE_REGEX, 'a dealer code')) code: string,
    @Query('quarter', QuarterPipe) quarter: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BalanceView> {
    assertDealerAccess(principal, code);
    return this.balances.quarterToDate(code, quarter);
  }
}
