import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { REFERENCE_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
  domainProblem,
  PatternPipe,
  Principal,
  Roles,
} from '@app/platform';
import { parseShipmentBody } from './shipment-body';
import { ImportShipmentDto, ShipmentImportView } from './shipment.dto';
import { ShipmentsService } from './shipments.service';

@ApiTag('shipments', 'Shipments from the factory: the serials each dealer received (R-CARD-1)')
@ApiBearerAuth()
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin', 'finance')
  @ApiDoc({
    id: 'importShipment',
    summary: 'Import a shipment',
    description:
      'Imports the serials of one shipment to a dealer, so its warranty cards can be checked against what it received. Idempotent on reference.',
    rules: ['R-CARD-1'],
  })
  @ApiProblems(
    400,
    domainProblem(
      409,
      'SHIPMENT_REFERENCE_CONFLICT',
      'Shipment SHP-2026-0001 was already imported with different content.',
      'The reference was imported with other content',
    ),
    {
      ...domainProblem(422, 'UNKNOWN_DEALER', 'Dealer D009 is not registered.', 'The dealer is not registered'),
      errors: [{ field: 'dealerCode', rule: 'exists', message: 'no such dealer' }],
    },
  )
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
  @ApiDoc({
    id: 'getShipment',
    summary: 'Read a shipment import',
    description: 'The answer of a shipment import, by its reference.',
  })
  @ApiParam({
    name: 'reference',
    description: 'The shipment reference (percent-encode a slash)',
    example: 'SHP-2026-0001',
  })
  @ApiOkResponse({ type: ShipmentImportView, description: 'The import' })
  @ApiProblems(400, {
    status: 404,
    detail: 'Shipment SHP-2026-0001 was not found.',
    description: 'No shipment with this reference',
  })
  get(
    @Param('reference', new PatternPipe('reference', REFERENCE_REGEX, IDENTIFIER_TEXT.reference)) reference: string,
  ): Promise<ShipmentImportView> {
    return this.shipments.get(reference);
  }
}
