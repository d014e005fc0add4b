import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  fieldError,
  flattenValidationErrors,
  forbiddenProperty,
  objectListError,
  validationProblem,
} from '@app/platform';
import { ImportShipmentDto, MAX_SHIPMENT_LINES, ShipmentHeaderDto } from './shipment.dto';

const HEADER_KEYS = ['reference', 'dealerCode', 'shippedOn'] as const;

/**
 * Validates an import body with the answers of the global pipe (field and rule): the header
 * through ShipmentHeaderDto, the lines' shape by hand (1 to 100,000 objects; each line's content
 * is reported per line by checkShipmentLines). Throws a 400 validation problem.
 */
export function parseShipmentBody(body: unknown): ImportShipmentDto {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationProblem([fieldError('body', 'isObject', 'validation.fields.shipmentObject')]);
  }
  const raw = body as Record<string, unknown>;
  const errors = Object.keys(raw)
    .filter((k) => k !== 'serials' && !(HEADER_KEYS as readonly string[]).includes(k))
    .map((k) => forbiddenProperty(k));
  const header = plainToInstance(ShipmentHeaderDto, {
    reference: raw.reference,
    dealerCode: raw.dealerCode,
    shippedOn: raw.shippedOn,
  });
  errors.push(...flattenValidationErrors(validateSync(header, { validationError: { target: false, value: false } })));
  const serials = raw.serials;
  const listError = objectListError('serials', serials, MAX_SHIPMENT_LINES);
  if (listError) errors.push(listError);
  if (errors.length > 0) throw validationProblem(errors);
  return Object.assign(new ImportShipmentDto(), header, { serials: serials as Record<string, unknown>[] });
}
