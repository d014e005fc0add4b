import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SERIAL_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import {
  assertDealerAccess,
  CurrentPrincipal,
  dealerScope,
  Page,
  PatternPipe,
  Principal,
  Roles,
  validationProblem,
  YearMonthPipe,
} from '@app/platform';
import { DEALER_CODE_PARAM } from '../registry/dealer.dto';

import { cardBatchBodyErrors } from './card-batch-body';
import {
  CardBatchResultView,
  ListWarrantyCardsQuery,
  SubmitWarrantyCardsDto,
  WarrantyCardView,
} from './warranty-card.dto';
import { SubmitWarrantyCardsUseCase } from './submit-warranty-cards.use-case';
import { WarrantyCardsService } from './warranty-cards.service';
import { WithdrawWarrantyCardUseCase } from './withdraw-warranty-card.use-case';

@ApiTags('warranty-cards')
@ApiBearerAuth()
@Controller('v1/dealers/:code/reports/:month/warranty-cards')
export class WarrantyCardsController {
  constructor(
    private readonly submitCards: SubmitWarrantyCardsUseCase,
    private readonly withdrawCard: WithdrawWarrantyCardUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('dealer')
  @ApiBody({ type: SubmitWarrantyCardsDto })
  @ApiCreatedResponse({ type: CardBatchResultView, description: 'One result per card, in request order (R-CARD-1)' })
  async submit(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    // Shape checked by cardBatchBodyErrors (same answers as the pipe, without copying 5,000 cards).
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CardBatchResultView> {
    assertDealerAccess(principal, code);
    const checked = cardBatchBodyErrors(body);
    if (Array.isArray(checked)) throw validationProblem(checked);
    return this.submitCards.execute(code, month, checked.cards, principal);
  }

  @Delete(':serial')
  @Roles('dealer')
  @ApiOkResponse({
    type: WarrantyCardView,
    description: 'The card, now WITHDRAWN; its serial is free again. 409 REPORT_CLOSED once the month is closed.',
  })
  withdraw(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Param(
      'serial',
      new PatternPipe('serial', SERIAL_REGEX, IDENTIFIER_TEXT.serial, (value) => value.trim().toUpperCase()),
    )
    serial: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WarrantyCardView> {
    assertDealerAccess(principal, code);
    return this.withdrawCard.execute(code, month, serial, principal);
  }
}

@ApiTags('warranty-cards')
@ApiBearerAuth()
@Controller('v1/warranty-cards')
export class WarrantyCardListController {
  constructor(private readonly cards: WarrantyCardsService) {}

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiOkResponse({
    description: 'Warranty cards, newest accepted first, filtered and cursor-paginated; a dealer sees only its own',
  })
  list(
    @Query() query: ListWarrantyCardsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<WarrantyCardView>> {
    return this.cards.list(
      { dealerCode: dealerScope(principal, query.dealer), month: query.month, status: query.status, flag: query.flag },
      query.limit ?? 100,
      query.cursor,
    );
  }
}
