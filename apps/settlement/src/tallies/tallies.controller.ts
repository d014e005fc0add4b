import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiParam } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  Clock,
  CurrentPrincipal,
  DealerFilter,
  PageQuery,
  Principal,
  Roles,
  YearMonthPipe,
} from '@app/platform';
import { DealerTallyView, MONTH_PARAM, TallyRunView } from './tallies.view';

import { TalliesService } from './tallies.service';

export class TallyListQuery extends PageQuery {
  @DealerFilter()
  dealer?: string;
}

@ApiTag('tallies', "Monthly tallies: each dealer's month figures and quarter-to-date balance (R-SET-1)")
@ApiParam(MONTH_PARAM)
@ApiBearerAuth()
@Controller('v1/tallies')
export class TalliesController {
  constructor(
    private readonly tallies: TalliesService,
    private readonly clock: Clock,
  ) {}

  @Post(':month')
  @Roles('finance')
  @ApiDoc({
    id: 'tallyMonth',
    summary: 'Tally a month now',
    description:
      "Tallies the month for every dealer now (otherwise the schedule does it once the report due time passed): each dealer's month figures and quarter-to-date balance, stored and published as DealerBalanceTallied. A tally is provisional; the quarterly statement is what counts.",
    rules: ['R-SET-1', 'R-REP-4'],
  })
  @ApiCreatedResponse({ type: TallyRunView, description: 'The month tallied' })
  @ApiProblems(400)
  run(@Param('month', YearMonthPipe) month: string, @CurrentPrincipal() principal: Principal) {
    return this.tallies.tally(month, 'FINANCE', principal.sub, this.clock.now());
  }

  @Get(':month')
  @Roles('finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'listMonthTallies',
    summary: "List a month's tallies",
    description: 'The stored tallies of the month, one per dealer.',
    rules: ['R-SET-1'],
  })
  @ApiPageResponse(DealerTallyView, 'One page of tallies, by dealer code')
  @ApiProblems(400)
  list(@Param('month', YearMonthPipe) month: string, @Query() query: TallyListQuery) {
    return this.tallies.listTallies(
      month,
      { dealer: query.dealer },
      { limit: query.limit ?? 100, cursor: query.cursor },
    );
  }
}
