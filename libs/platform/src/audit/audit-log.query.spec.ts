import { decodeCursor, encodeCursor } from './audit-log.query';

describe('audit cursor', () => {
  it('round-trips ids and rejects garbage', () => {
    expect(decodeCursor(encodeCursor('12345'))).toBe('12345');
    expect(decodeCursor('bm9wZQ')).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });
});
