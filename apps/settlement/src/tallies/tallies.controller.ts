import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DEALER_CODE_REGEX } from '@app/contracts';
import { Clock, CurrentPrincipal, PageQuery, Principal, Roles, YearMonthPipe } from '@app/platform';

import { TalliesService } from './tallies.service';

export class TallyListQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DEALER_CODE_REGEX, { message: 'dealer must be a dealer code' })
  dealer?: string;
}

@ApiTags('tallies')
@ApiBearerAuth()
@Controller('v1/tallies')
export class TalliesController {
  constructor(
    private readonly tallies: TalliesService,
    private readonly clock: Clock,
  ) {}

  @Post(':month')
  @Roles('finance')
  @ApiOperation({
    summary:
      "Tally a month now (R-SET-1): each dealer's month figures and quarter-to-date balance; publishes DealerBalanceTallied",
  })
  @ApiParam({ name: 'month', example: '2026-01' })
  run(@Param('month', YearMonthPipe) month: string, @CurrentPrincipal() principal: Principal) {
    return this.tallies.tally(month, 'FINANCE', principal.sub, this.clock.now());
  }

  @Get(':month')
  @Roles('finance', 'auditor', 'admin')
  @ApiParam({ name: 'month', example: '2026-01' })
  @ApiOkResponse({ description: 'The stored tallies of the month, one per dealer, paginated' })
  list(@Param('month', YearMonthPipe) month: string, @Query() query: TallyListQuery) {
    return this.tallies.listTallies(
      month,
      { dealer: query.dealer },
      { limit: query.limit ?? 100, cursor: query.cursor },
    );
  }
}
