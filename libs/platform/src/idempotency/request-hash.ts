import { canonicalJson, sha256Hex } from '@app/kernel';

/** sha256 of the request body's canonical JSON: semantically equal bodies hash equally. */
export function requestHash(body: unknown): string {
  return sha256Hex(canonicalJson(body));
}

/** 1-255 visible ASCII characters (0x21-0x7E). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
