import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors, validationProblem } from '@app/platform';
import { ImportShipmentDto, MAX_SHIPMENT_LINES, ShipmentHeaderDto } from './shipment.dto';

const HEADER_KEYS = ['reference', 'dealerCode', 'shippedOn'] as const;

/**
 * Validates an import body with the answers of the global pipe (field and rule): the header
 * through ShipmentHeaderDto, the lines' shape by hand (1 to 100,000 objects; each line's content
 * is reported per line by checkShipmentLines). Throws a 400 validation problem.
 */
export function parseShipmentBody(body: unknown): ImportShipmentDto {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationProblem([{ field: 'body', rule: 'isObject', message: 'the body must be a shipment object' }]);
  }
  const raw = body as Record<string, unknown>;
  const errors = Object.keys(raw)
    .filter((k) => k !== 'serials' && !(HEADER_KEYS as readonly string[]).includes(k))
    .map((k) => ({ field: k, rule: 'forbidden', message: `property ${k} should not exist` }));
  const header = plainToInstance(ShipmentHeaderDto, {
    reference: raw.reference,
    dealerCode: raw.dealerCode,
    shippedOn: raw.shippedOn,
  });
  errors.push(...flattenValidationErrors(validateSync(header, { validationError: { target: false, value: false } })));
  const serials = raw.serials;
  if (!Array.isArray(serials)) errors.push({ field: 'serials', rule: 'isArray', message: 'serials must be an array' });
  else if (serials.length < 1)
    errors.push({ field: 'serials', rule: 'arrayMinSize', message: 'serials must contain at least 1 elements' });
  else if (serials.length > MAX_SHIPMENT_LINES)
    errors.push({
      field: 'serials',
      rule: 'arrayMaxSize',
      message: `serials must contain no more than ${MAX_SHIPMENT_LINES} elements`,
    });
  else if (!serials.every((l) => l !== null && typeof l === 'object' && !Array.isArray(l)))
    errors.push({ field: 'serials', rule: 'isObject', message: 'each value in serials must be an object' });
  if (errors.length > 0) throw validationProblem(errors);
  return Object.assign(new ImportShipmentDto(), header, { serials: serials as Record<string, unknown>[] });
}
