import { canonicalJson } from '@app/kernel';
import { IDEMPOTENCY_KEY_PATTERN, requestHash } from './request-hash';

describe('canonical JSON', () => {
  it('sorts keys recursively so equal bodies hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[{"x":2,"y":1}]},"b":1}');
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash(undefined)).toHaveLength(64);
  });

  it('accepts 1-255 visible ASCII keys', () => {
    expect(IDEMPOTENCY_KEY_PATTERN.test('abc-123_XYZ:~')).toBe(true);
    expect(IDEMPOTENCY_KEY_PATTERN.test('a'.repeat(255))).toBe(true);
    expect(IDEMPOTENCY_KEY_PATTERN.test('a'.repeat(256))).toBe(false);
    expect(IDEMPOTENCY_KEY_PATTERN.test('')).toBe(false);
    expect(IDEMPOTENCY_KEY_PATTERN.test('with space')).toBe(false);
    expect(IDEMPOTENCY_KEY_PATTERN.test('ünïcode')).toBe(false);
  });
});
