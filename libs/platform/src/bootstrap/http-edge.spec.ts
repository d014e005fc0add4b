import { findBodyProblem, MAX_BODY_DEPTH } from './http-edge';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
};

describe('findBodyProblem', () => {
  it('names the field holding a NUL character', () => {
    expect(findBodyProblem({ cards: [{ serial: 'A' }, { serial: 'B\u0000' }] })).toEqual(
      expect.objectContaining({ field: 'cards[1].serial', rule: 'noNulCharacter' }),
    );
    expect(findBodyProblem([{ amount: '1.00' }, { note: '\u0000' }])).toEqual(
      expect.objectContaining({ field: '[1].note' }),
    );
    expect(findBodyProblem({ sales: { ['li\u0000nes']: [] } })).toEqual(
      expect.objectContaining({ field: 'sales', rule: 'noNulCharacter' }),
    );
    expect(findBodyProblem('reference\n\u0000')).toEqual(expect.objectContaining({ field: 'body' }));
  });

  it('measures nesting without recursion: the limit passes, one level more and 100,000 levels are refused', () => {
    expect(findBodyProblem(nested(MAX_BODY_DEPTH))).toBeUndefined();
    expect(findBodyProblem(nested(MAX_BODY_DEPTH + 1))).toEqual(
      expect.objectContaining({ field: 'body', rule: 'maxDepth' }),
    );
    expect(findBodyProblem(nested(100_000))).toEqual(expect.objectContaining({ rule: 'maxDepth' }));
  });

  it('lets ordinary bodies through', () => {
    expect(
      findBodyProblem({ cards: [{ serial: 'EB100-000001', phone: '13800138000' }], n: 1, ok: true, none: null }),
    ).toBeUndefined();
    expect(findBodyProblem(undefined)).toBeUndefined();
    expect(findBodyProblem(12)).toBeUndefined();
  });
});
