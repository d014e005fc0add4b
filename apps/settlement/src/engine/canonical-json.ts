import { createHash } from 'node:crypto';
import type { StatementResult } from './statement-input';

/**
 * Canonical JSON (R-SET-9): object keys sorted, no whitespace, undefined members dropped,
 * arrays in their given (already deterministic) order. Equal content ⇔ equal text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The content of a statement that verification compares: everything the engine computed. */
export function statementCanonicalJson(result: StatementResult): string {
  return canonicalJson(result);
}

/** sha256 (hex) of the statement's canonical JSON (R-SET-9). */
export function statementContentHash(result: StatementResult): string {
  return sha256Hex(statementCanonicalJson(result));
}
