import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  domainProblem,
  Principal,
  Roles,
} from '@app/platform';
import { DEALER_CODE_DOC, DEALER_CODE_PARAM } from '../registry/dealer.dto';
import { AgreementView, CreateAgreementDto } from './agreement.dto';
import { AgreementsService } from './agreements.service';

@ApiTag('agreements', "Versions of a dealer's allowance agreement and its terms (R-AGR-1)")
@ApiParam(DEALER_CODE_DOC)
@ApiBearerAuth()
@Controller('v1/dealers/:code/agreements')
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Post()
  @HttpCode(201)
  @Roles('finance')
  @ApiDoc({
    id: 'createAgreement',
    summary: 'Add an agreement version',
    description:
      "Adds a version of the dealer's agreement effective from a month; a version never rewrites a closed month. Publishes AgreementRegistered.",
    rules: ['R-AGR-1'],
  })
  @ApiCreatedResponse({ type: AgreementView, description: 'The new agreement version' })
  @ApiProblems(
    400,
    { status: 404, detail: 'Dealer D009 was not found.', description: 'No dealer with this code' },
    domainProblem(
      409,
      'AGREEMENT_MONTH_CLOSED',
      'Terms effective from 2026-01-01 would rewrite 2026-02, which is closed; the earliest possible start is the month after it.',
      'The start month is already closed',
    ),
    domainProblem(
      409,
      'AGREEMENT_VERSION_EXISTS',
      'Dealer D001 already has terms effective from 2026-01-01 (version 1).',
      'A version starts that day already',
    ),
  )
  create(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Body() dto: CreateAgreementDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AgreementView> {
    return this.agreements.create(code, dto, principal);
  }

  @Get()
  @Roles('finance', 'admin', 'after-sales', 'auditor', 'dealer')
  @ApiDoc({
    id: 'listAgreements',
    summary: "List a dealer's agreement versions",
    description: "Every version of the dealer's agreement, oldest first; a dealer reads only its own.",
    rules: ['R-AGR-1'],
  })
  @ApiOkResponse({ type: [AgreementView], description: 'The versions' })
  @ApiProblems(400)
  list(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AgreementView[]> {
    assertDealerAccess(principal, code);
    return this.agreements.list(code);
  }
}
