import { ProblemException } from '../problem/problem.exception';
import { decodePageCursor, encodePageCursor, SEQUENCE_KEY } from './pagination';

describe('page cursor', () => {
  it('round-trips sequence ids and rejects garbage', () => {
    expect(decodePageCursor(encodePageCursor('12345'), SEQUENCE_KEY)).toBe('12345');
    expect(() => decodePageCursor('bm9wZQ', SEQUENCE_KEY)).toThrow(ProblemException);
    expect(() => decodePageCursor('', SEQUENCE_KEY)).toThrow(ProblemException);
    expect(() => decodePageCursor(encodePageCursor('12a'), SEQUENCE_KEY)).toThrow(ProblemException);
  });
});
