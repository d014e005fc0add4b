import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
  Principal,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_SCHEMA_NAME,
  PROBLEM_TYPE_BASE,
  Roles,
} from '@app/platform';
import { ReturnView } from '../applications/return.dto';
import { CloseReturnDto } from './close-return.dto';
import { CloseReturnUseCase } from './close-return.use-case';
import { RETURN_ID_DOC, RETURN_NOT_FOUND_DOC, RETURN_STATUS_DOC } from '../applications/returns.problems';

/** The 422 answers of closing, as problem details. */
const CLOSING_REFUSED = {
  description:
    'no-list-price (NO_LIST_PRICE, R-RET-4): a refurbishment part has no list price in force on the closing date; ' +
    'each is named in `errors` (field `parts[i].partNo`, rule `listPrice`). return-charges (INVALID_CHARGES): a part ' +
    'names a line not on the return or refused (R-RET-3), or a charge exceeds the largest amount. Nothing is written.',
  content: {
    [PROBLEM_CONTENT_TYPE]: {
      schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` },
      example: {
        type: `${PROBLEM_TYPE_BASE}no-list-price`,
        title: 'Unprocessable Entity',
        status: 422,
        code: 'NO_LIST_PRICE',
        detail:
          '1 refurbishment part(s) have no list price in force on the closing date 2026-03-31; nothing was closed.',
        instance: '/v1/returns/0f8fad5b-d9cb-469f-a165-70867728950e/close',
        errors: [
          {
            field: 'parts[0].partNo',
            rule: 'listPrice',
            message: 'CTRL-48V is not on the price list; it has no list price on the closing date 2026-03-31',
          },
        ],
      },
    },
  },
};

@ApiTag('returns', 'Product returns: applied for by dealers, approved, received, closed with charges (R-RET-1..4)')
@ApiBearerAuth()
@Controller('v1/returns')
export class ChargesController {
  constructor(private readonly closing: CloseReturnUseCase) {}

  @Post(':id/close')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiDoc({
    id: 'closeReturn',
    summary: 'Close a received return with its charges',
    description:
      'Closes a received return with the freight from the carrier bill and the refurbishment parts at the list price in force on the closing date (as learned from the price list events, never typed), dated closedOn (default today, not in the future nor before the receipt); publishes ReturnClosed.',
    rules: ['R-RET-4', 'R-SET-10'],
  })
  @ApiParam(RETURN_ID_DOC)
  @ApiOkResponse({ type: ReturnView, description: 'The return, CLOSED' })
  @ApiProblems(400, RETURN_NOT_FOUND_DOC, RETURN_STATUS_DOC)
  @ApiUnprocessableEntityResponse(CLOSING_REFUSED)
  close(
    @Param('id') id: string,
    @Body() dto: CloseReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.closing.close(principal, id, dto);
  }
}
