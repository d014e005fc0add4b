import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DATE_REGEX, REFERENCE_REGEX, IDENTIFIER_TEXT } from '@app/contracts';
import { DEALER_CODE_PATTERN } from '../registry/dealer.dto';

export const MAX_SHIPMENT_LINES = 100_000;

export class ShipmentLineDoc {
  @ApiProperty({ example: 'EB100-2026-000001' }) serial!: string;
  @ApiProperty({ example: 'EB-100' }) model!: string;
}

/** The header of an import (everything but the lines), validated by the usual class-validator rules. */
export class ShipmentHeaderDto {
  @ApiProperty({ example: 'DN-2026-000123', description: 'Shipment reference; the import is idempotent on it' })
  @Matches(REFERENCE_REGEX, { message: `reference must be ${IDENTIFIER_TEXT.reference}` })
  reference!: string;

  @ApiProperty({ pattern: DEALER_CODE_PATTERN.source, example: 'D001' })
  @Matches(DEALER_CODE_PATTERN, { message: 'dealerCode must be a dealer code' })
  dealerCode!: string;

  @ApiProperty({ pattern: DATE_REGEX.source, example: '2026-01-05' })
  @Matches(DATE_REGEX, { message: 'shippedOn must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31' })
  shippedOn!: string;
}

/**
 * One shipment (delivery note) to one dealer; each line is checked on its own. The body is
 * checked by parseShipmentBody (the header through ShipmentHeaderDto, the up to 100,000 lines
 * by hand) rather than by the global pipe, which would copy and walk every line.
 */
export class ImportShipmentDto extends ShipmentHeaderDto {
  @ApiProperty({ type: [ShipmentLineDoc], maxItems: MAX_SHIPMENT_LINES })
  serials!: Record<string, unknown>[];
}

export class ShipmentLineProblemView {
  @ApiProperty({ type: 'integer', description: '1-based position in serials' }) line!: number;
  @ApiProperty({ nullable: true, type: String }) serial!: string | null;
  @ApiProperty({
    enum: ['INVALID_SERIAL', 'INVALID_MODEL', 'UNKNOWN_MODEL', 'DUPLICATE_IN_REQUEST', 'ALREADY_REGISTERED'],
  })
  code!: string;
  @ApiProperty() message!: string;
}

export class ShipmentImportView {
  @ApiProperty() reference!: string;
  @ApiProperty() dealerCode!: string;
  @ApiProperty() shippedOn!: string;
  @ApiProperty({ type: 'integer' }) received!: number;
  @ApiProperty({ type: 'integer' }) registered!: number;
  @ApiProperty({ type: 'integer' }) rejected!: number;
  @ApiProperty({ type: [ShipmentLineProblemView] }) problems!: ShipmentLineProblemView[];
  @ApiProperty() importedAt!: string;
}
