import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { assertDealerAccess, CurrentPrincipal, Principal, Roles } from '@app/platform';
import { DEALER_CODE_PARAM } from '../registry/dealer.dto';
import { AgreementView, CreateAgreementDto } from './agreement.dto';
import { AgreementsService } from './agreements.service';

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('v1/dealers/:code/agreements')
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Post()
  @HttpCode(201)
  @Roles('finance')
  @ApiCreatedResponse({ type: AgreementView })
  create(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Body() dto: CreateAgreementDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AgreementView> {
    return this.agreements.create(code, dto, principal);
  }

  @Get()
  @Roles('finance', 'admin', 'after-sales', 'auditor', 'dealer')
  @ApiOkResponse({ type: [AgreementView] })
  list(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AgreementView[]> {
    assertDealerAccess(principal, code);
    return this.agreements.list(code);
  }
}
