import { canonicalJson, sha256Hex } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2, { z: 1, y: 2 }] } })).toBe(
      '{"a":{"c":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('writes undefined in an array as null, like JSON.stringify', () => {
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
  });

  it('writes dates as ISO strings and a Buffer as JSON.stringify does', () => {
    const buffer = Buffer.from('hi');
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05Z'), buffer })).toBe(
      `{"at":"2026-01-02T03:04:05.000Z","buffer":${JSON.stringify(buffer)}}`,
    );
  });

  it('is empty for undefined, so an absent body hashes as the empty text', () => {
    expect(canonicalJson(undefined)).toBe('');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
