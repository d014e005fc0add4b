import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { IDENTIFIER_TEXT, PART_NO_REGEX } from '@app/contracts';
import { ApiDoc, ApiProblems, ApiTag, Clock, notFoundProblem, PatternPipe, Roles } from '@app/platform';
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
@ApiTag('part-prices', "This service's copy of the parts price list, used when closing returns (R-RET-4)")
@ApiBearerAuth()
@Controller('v1/part-prices')
export class PartPricesController {
  constructor(
    private readonly prices: PartPricesProjection,
    private readonly clock: Clock,
  ) {}

  @Get(':partNo')
  @Roles('admin', 'finance', 'after-sales', 'auditor', 'dealer')
  @ApiDoc({
    id: 'getKnownPartPrices',
    summary: "Read this service's copy of a part's prices",
    description:
      "A part's price versions as this service learned them from PartPriceSet events, and the one in force on a day, to check what closing a return will use.",
    rules: ['R-RET-4'],
  })
  @ApiParam({ name: 'partNo', description: 'The part number', example: 'CTRL-48V' })
  @ApiOkResponse({ type: PartPricesView, description: 'The price versions' })
  @ApiProblems(400, {
    status: 404,
    detail: 'Part CTRL-99 has no price known to this service.',
    description: 'No price known for this part',
  })
  async get(
    @Param('partNo', new PatternPipe('partNo', PART_NO_REGEX, IDENTIFIER_TEXT.partNo)) partNo: string,
    @Query() query: PartPricesQuery,
  ): Promise<PartPricesView> {
    const versions = (await this.prices.versionsOf([partNo])).get(partNo) ?? [];
    if (versions.length === 0) throw notFoundProblem(`Part ${partNo} is not on the price list known to this service.`);
    const on = query.on ?? this.clock.today();
    const inForce = priceInForce(versions, on);
    return { partNo, on, priceInForce: inForce ? toView(inForce) : null, versions: versions.map(toView) };
  }
}
