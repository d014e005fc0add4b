import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { SERIAL_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  DEFAULT_LANGUAGE,
  CurrentPrincipal,
  dealerScope,
  domainProblem,
  Page,
  PatternPipe,
  Principal,
  reasonIn,
  Roles,
  validationProblem,
  YearMonthPipe,
} from '@app/platform';
import { I18nContext } from 'nestjs-i18n';
import { DEALER_CODE_DOC, DEALER_CODE_PARAM, REPORT_MONTH_DOC } from '../registry/dealer.dto';

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

const SERIAL_DOC = { name: 'serial', description: 'The serial (frame / machine number)', example: 'EB100-000123' };

@ApiTag(
  'warranty-cards',
  'Warranty cards reported by dealers, each accepted or rejected on its own (R-CARD-1, R-REP-1)',
)
@ApiParam(DEALER_CODE_DOC)
@ApiParam(REPORT_MONTH_DOC)
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
  @ApiDoc({
    id: 'submitWarrantyCards',
    summary: 'Report a batch of warranty cards',
    description:
      "The dealer adds warranty cards to its month's report; each card is accepted or rejected with its reason (duplicate serial, unknown model or outlet, sale date outside the window, …) and a bad card never spoils the good ones. Accepted cards are published as WarrantyCardsAccepted.",
    rules: ['R-CARD-0', 'R-CARD-1', 'R-REP-1', 'R-REP-3'],
  })
  @ApiCreatedResponse({ type: CardBatchResultView, description: 'One result per card, in request order' })
  @ApiProblems(400)
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
    const batch = await this.submitCards.execute(code, month, checked.cards, principal);
    // The reasons of refused cards in the request's language, as its problems.
    const language = I18nContext.current()?.lang ?? DEFAULT_LANGUAGE;
    return { ...batch, results: batch.results.map((r) => reasonIn(language, r)) };
  }

  @Delete(':serial')
  @Roles('dealer')
  @ApiDoc({
    id: 'withdrawWarrantyCard',
    summary: 'Withdraw a warranty card',
    description:
      "Withdraws an accepted card from the month's report while the month is open and the card is not in an open callback audit; its serial is free again.",
    rules: ['R-REP-1', 'R-AUD-1'],
  })
  @ApiParam(SERIAL_DOC)
  @ApiOkResponse({ type: WarrantyCardView, description: 'The card, now WITHDRAWN' })
  @ApiProblems(
    400,
    {
      status: 404,
      detail: 'No accepted card EB100-000123 in report 2026-01 of D001.',
      description: 'No such accepted card in this report',
    },
    domainProblem(
      409,
      'REPORT_CLOSED',
      'The report 2026-01 of D001 is closed: its quarter is approved.',
      'The month is closed',
    ),
    domainProblem(
      409,
      'CARD_UNDER_AUDIT',
      'Card EB100-000123 is in an open callback audit sample.',
      'The card is in an open audit sample',
    ),
  )
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

@ApiTag(
  'warranty-cards',
  'Warranty cards reported by dealers, each accepted or rejected on its own (R-CARD-1, R-REP-1)',
)
@ApiBearerAuth()
@Controller('v1/warranty-cards')
export class WarrantyCardListController {
  constructor(private readonly cards: WarrantyCardsService) {}

  @Get()
  @Roles('after-sales', 'finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'listWarrantyCards',
    summary: 'List warranty cards',
    description:
      'Warranty cards, newest accepted first, filtered by dealer, month, status and flag; a dealer sees only its own.',
    rules: ['R-CARD-1'],
  })
  @ApiPageResponse(WarrantyCardView, 'One page of cards')
  @ApiProblems(400)
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
