import { cardBatchBodyErrors } from './card-batch-body';

describe('card batch body shape', () => {
  it('lets 1 to 5,000 card objects through untouched', () => {
    const cards = [{ serial: 'A' }, { any: 1 }];
    expect(cardBatchBodyErrors({ cards })).toEqual({ cards });
    expect(cardBatchBodyErrors({ cards }) as { cards: unknown[] }).toHaveProperty('cards', cards);
  });

  it('answers like the validation pipe: field and rule', () => {
    expect(cardBatchBodyErrors({ cards: Array.from({ length: 5001 }, () => ({})) })).toEqual([
      expect.objectContaining({ field: 'cards', rule: 'arrayMaxSize' }),
    ]);
    expect(cardBatchBodyErrors({ cards: [] })).toEqual([
      expect.objectContaining({ field: 'cards', rule: 'arrayMinSize' }),
    ]);
    expect(cardBatchBodyErrors({ cards: [{}, 'x'] })).toEqual([
      expect.objectContaining({ field: 'cards', rule: 'isObject' }),
    ]);
    expect(cardBatchBodyErrors({})).toEqual([expect.objectContaining({ field: 'cards', rule: 'isArray' })]);
    expect(cardBatchBodyErrors(null)).toEqual([expect.objectContaining({ field: 'cards', rule: 'isArray' })]);
    expect(cardBatchBodyErrors({ cards: [{}], extra: 1 })).toEqual([
      expect.objectContaining({ field: 'extra', rule: 'forbidden' }),
    ]);
  });
});
