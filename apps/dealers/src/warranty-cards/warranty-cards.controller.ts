import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { assertDealerAccess, CurrentPrincipal, Principal, Roles, YearMonthPipe } from '@app/platform';

import { CardBatchResultView, SubmitWarrantyCardsDto } from './warranty-card.dto';
import { SubmitWarrantyCardsUseCase } from './submit-warranty-cards.use-case';

@ApiTags('warranty-cards')
@ApiBearerAuth()
@Controller('v1/dealers/:code/reports/:month/warranty-cards')
export class WarrantyCardsController {
  constructor(private readonly submitCards: SubmitWarrantyCardsUseCase) {}

  @Post()
  @HttpCode(201)
  @Roles('dealer')
  @ApiCreatedResponse({ type: CardBatchResultView, description: 'One result per card, in request order (R-CARD-1)' })
  submit(
    @Param('code') code: string,
    @Param('month', YearMonthPipe) month: string,
    @Body() dto: SubmitWarrantyCardsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CardBatchResultView> {
    assertDealerAccess(principal, code);
    return this.submitCards.execute(code, month, dto.cards, principal);
  }
}
