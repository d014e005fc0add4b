import { MAX_CARDS_PER_BATCH } from './warranty-card.dto';

export interface BodyFieldError {
  field: string;
  rule: string;
  message: string;
}

/**
 * Checks the shape of a card batch body — `{ cards: [ {…}, … ] }` with 1 to 5,000 objects and no
 * other property — with the same field/rule answers the global validation pipe gives
 * (SubmitWarrantyCardsDto documents it). Done by hand because the pipe would copy and walk
 * every one of 5,000 cards only to let them through: each card's fields are the R-CARD-1
 * rules' business, answered per card.
 */
export function cardBatchBodyErrors(body: unknown): { cards: Record<string, unknown>[] } | BodyFieldError[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [{ field: 'cards', rule: 'isArray', message: 'the body must be an object { cards: [...] }' }];
  }
  const errors: BodyFieldError[] = [];
  for (const key of Object.keys(body)) {
    if (key !== 'cards') errors.push({ field: key, rule: 'forbidden', message: `property ${key} should not exist` });
  }
  const cards = (body as { cards?: unknown }).cards;
  if (!Array.isArray(cards)) {
    errors.push({ field: 'cards', rule: 'isArray', message: 'cards must be an array' });
  } else if (cards.length < 1) {
    errors.push({ field: 'cards', rule: 'arrayMinSize', message: 'cards must contain at least 1 elements' });
  } else if (cards.length > MAX_CARDS_PER_BATCH) {
    errors.push({
      field: 'cards',
      rule: 'arrayMaxSize',
      message: `cards must contain no more than ${MAX_CARDS_PER_BATCH} elements`,
    });
  } else if (!cards.every((c) => c !== null && typeof c === 'object' && !Array.isArray(c))) {
    errors.push({ field: 'cards', rule: 'isObject', message: 'each value in cards must be an object' });
  }
  return errors.length > 0 ? errors : { cards: cards as Record<string, unknown>[] };
}
