import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/platform';
import { ReturnView } from '../applications/return.dto';
import { CloseReturnDto } from './close-return.dto';
import { CloseReturnUseCase } from './close-return.use-case';

@ApiTags('returns')
@ApiBearerAuth()
@Controller('v1/returns')
export class ChargesController {
  constructor(private readonly closing: CloseReturnUseCase) {}

  @Post(':id/close')
  @HttpCode(200)
  @Roles('after-sales')
  @ApiOkResponse({
    type: ReturnView,
    description:
      'R-RET-4: charges from the carrier bill and parts at list price, dated closedOn (R-SET-10, default today; ' +
      '422 DOCUMENT_DATE in the future or before the receipt date); publishes ReturnClosed',
  })
  close(
    @Param('id') id: string,
    @Body() dto: CloseReturnDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReturnView> {
    return this.closing.close(principal, id, dto);
  }
}
