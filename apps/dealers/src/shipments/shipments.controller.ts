import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { REFERENCE_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import { CurrentPrincipal, PatternPipe, Principal, Roles } from '@app/platform';
import { parseShipmentBody } from './shipment-body';
import { ImportShipmentDto, ShipmentImportView } from './shipment.dto';
import { ShipmentsService } from './shipments.service';

@ApiTags('shipments')
@ApiBearerAuth()
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin', 'finance')
  @ApiCreatedResponse({
    type: ShipmentImportView,
    description:
      'Up to 100,000 serials; a bad line is reported by line number and never spoils the good ones. Idempotent on reference: the same content returns the first answer, other content is a 409.',
  })
  @ApiBody({ type: ImportShipmentDto })
  import(@Body() body: Record<string, unknown>, @CurrentPrincipal() principal: Principal): Promise<ShipmentImportView> {
    return this.shipments.import(parseShipmentBody(body), principal);
  }

  @Get(':reference')
  @Roles('admin', 'finance', 'after-sales', 'auditor')
  @ApiOkResponse({ type: ShipmentImportView })
  get(
    @Param('reference', new PatternPipe('reference', REFERENCE_REGEX, IDENTIFIER_TEXT.reference)) reference: string,
  ): Promise<ShipmentImportView> {
    return this.shipments.get(reference);
  }
}
