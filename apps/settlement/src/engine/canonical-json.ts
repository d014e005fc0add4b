import { canonicalJson, sha256Hex } from '@app/kernel';
import type { StatementResult } from './statement-input';

/** The content of a statement that verification compares: everything the engine computed. */
export function statementCanonicalJson(result: StatementResult): string {
  return canonicalJson(result);
}

/** sha256 (hex) of the statement's canonical JSON (R-SET-9). */
export function statementContentHash(result: StatementResult): string {
  return sha256Hex(statementCanonicalJson(result));
}
