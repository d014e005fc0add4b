import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IDENTIFIER_TEXT, PART_NO_REGEX } from '@app/contracts';
import { Clock, notFoundProblem, PatternPipe, problemText, Roles } from '@app/platform';
import { PartPricesQuery, PartPricesView, PartPriceVersionView } from './part-prices.dto';
import { PartPricesProjection } from './part-prices.projection';
import { PartPriceVersion, priceInForce } from './price-list-rules';

const toView = (v: PartPriceVersion): PartPriceVersionView => ({
  name: v.name,
  listPrice: v.listPrice,
  costPrice: v.costPrice,
  effectiveFrom: v.effectiveFrom,
});

/** Read access to this service's projection of the price list, so what closing will use can be checked. */
@ApiTags('part-prices')
@ApiBearerAuth()
@Controller('v1/part-prices')
export class PartPricesController {
  constructor(
    private readonly prices: PartPricesProjection,
    private readonly clock: Clock,
  ) {}

  @Get(':partNo')
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiOkResponse({
    type: PartPricesView,
    description: "A part's price versions as this service learned them from PartPriceSet events (R-RET-4)",
  })
  async get(
    @Param('partNo', new PatternPipe('partNo', PART_NO_REGEX, IDENTIFIER_TEXT.partNo)) partNo: string,
    @Query() query: PartPricesQuery,
  ): Promise<PartPricesView> {
    const versions = (await this.prices.versionsOf([partNo])).get(partNo) ?? [];
    if (versions.length === 0) throw notFoundProblem(problemText('partNotKnownHere', { partNo }));
    const on = query.on ?? this.clock.today();
    const inForce = priceInForce(versions, on);
    return { partNo, on, priceInForce: inForce ? toView(inForce) : null, versions: versions.map(toView) };
  }
}
