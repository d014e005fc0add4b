import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiQuery } from '@nestjs/swagger';
import { DEALER_CODE_REGEX } from '@app/contracts';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  PatternPipe,
  Principal,
  QuarterPipe,
  Roles,
} from '@app/platform';
import { ApiAsOfQuery, AsOfPipe } from '../statements/as-of.pipe';
import { BalanceService } from './balance.service';
import { BalanceView } from './balance.view';

@ApiTag('balance', "A dealer's quarter-to-date balance, month by month (R-SET-1)")
@ApiBearerAuth()
@Controller('v1/dealers/:code/balance')
export class BalanceController {
  constructor(private readonly balances: BalanceService) {}

  @Get()
  @Roles('dealer', 'finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'getDealerBalance',
    summary: "Read a dealer's quarter-to-date balance · 查询经销商季度至今余额",
    description:
      'The provisional quarter-to-date balance of a dealer: opening, month by month cards, accrual and tally, the explained lines so far, and the months still before their report due time. The quarterly statement is what counts. With asOf, the balance as it stood at that instant: only facts received by then, statements as approved by then, tallies stored by then. 经销商季度至今的临时余额；带 asOf 时为该时刻的余额（仅含当时已收到的事实与已审批的对账单）。',
    rules: ['R-SET-1', 'R-SET-3', 'R-REP-4'],
  })
  @ApiParam({ name: 'code', description: 'The dealer code', example: 'D001' })
  @ApiProblems(400, { status: 404, detail: 'Dealer D009 is not known to settlement.', description: 'Dealer unknown' })
  @ApiQuery({
    name: 'quarter',
    required: false,
    example: '2026-Q1',
    description: "Defaults to the quarter of the dealer's latest reported month",
  })
  @ApiAsOfQuery("The dealer's balance")
  @ApiOkResponse({ type: BalanceView, description: 'The balance' })
  get(
    @Param('code', new PatternPipe('code', DEALER_CODE_REGEX, 'a dealer code')) code: string,
    @Query('quarter', QuarterPipe) quarter: string | undefined,
    @Query('asOf', AsOfPipe) asOf: Date | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BalanceView> {
    assertDealerAccess(principal, code);
    return this.balances.quarterToDate(code, quarter, asOf);
  }
}
