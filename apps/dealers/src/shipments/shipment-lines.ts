import { createHash } from 'node:crypto';
import { MODEL_CODE_REGEX, IDENTIFIER_TEXT } from '@app/contracts';

/** Serial numbers as warranty cards carry them (card-rules.ts uses the same shape). */
export const SERIAL_PATTERN = /^[A-Z0-9][A-Z0-9-]{3,39}$/;

export type ShipmentLineProblemCode =
  'INVALID_SERIAL' | 'INVALID_MODEL' | 'UNKNOWN_MODEL' | 'DUPLICATE_IN_REQUEST' | 'ALREADY_REGISTERED';

export interface ShipmentLineProblem {
  /** 1-based position in `serials`. */
  line: number;
  serial: string | null;
  code: ShipmentLineProblemCode;
  message: string;
}

export interface ShipmentLine {
  line: number;
  serial: string;
  model: string;
}

const upper = (v: unknown): string | null => (typeof v === 'string' ? v.trim().toUpperCase() : null);

/**
 * Checks every line of a shipment import on its own: a bad line is reported with its line
 * number and never spoils the good ones. `knownModels` is the product catalogue's answer for
 * the models named; serials already in the registry are found by the database afterwards.
 */
export function checkShipmentLines(
  raw: ReadonlyArray<Record<string, unknown>>,
  knownModels: ReadonlySet<string>,
): { lines: ShipmentLine[]; problems: ShipmentLineProblem[] } {
  const lines: ShipmentLine[] = [];
  const problems: ShipmentLineProblem[] = [];
  const seen = new Map<string, number>();
  raw.forEach((r, i) => {
    const line = i + 1;
    const serial = upper(r.serial);
    const model = upper(r.model);
    if (serial === null || !SERIAL_PATTERN.test(serial)) {
      problems.push({ line, serial, code: 'INVALID_SERIAL', message: 'serial must be 4-40 letters, digits or dashes' });
    } else if (model === null || !MODEL_CODE_REGEX.test(model)) {
      problems.push({ line, serial, code: 'INVALID_MODEL', message: `model must be ${IDENTIFIER_TEXT.modelCode}` });
    } else if (!knownModels.has(model)) {
      problems.push({ line, serial, code: 'UNKNOWN_MODEL', message: `model ${model} is not in the product catalogue` });
    } else if (seen.has(serial)) {
      problems.push({
        line,
        serial,
        code: 'DUPLICATE_IN_REQUEST',
        message: `serial ${serial} already appears on line ${seen.get(serial)}`,
      });
    } else {
      seen.set(serial, line);
      lines.push({ line, serial, model });
    }
  });
  return { lines, problems };
}

/** The models a request names, normalised, for one catalogue lookup. */
export function modelsNamed(raw: ReadonlyArray<Record<string, unknown>>): string[] {
  const models = new Set<string>();
  for (const r of raw) {
    const m = upper(r.model);
    if (m) models.add(m);
  }
  return [...models];
}

/**
 * Fingerprint of an import's content (dealer, date and lines as normalised), so a retry with
 * the same reference is recognised as the same request and a different one as a conflict.
 */
export function shipmentContentHash(
  dealerCode: string,
  shippedOn: string,
  raw: ReadonlyArray<Record<string, unknown>>,
): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([dealerCode, shippedOn]));
  for (const r of raw)
    h.update(`\n${JSON.stringify([upper(r.serial) ?? r.serial ?? null, upper(r.model) ?? r.model ?? null])}`);
  return h.digest('hex');
}
