import { MAX_CARDS_PER_BATCH } from './warranty-card.dto';
import { fieldError, forbiddenProperty, objectListError } from '@app/platform';

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
    return [fieldError('cards', 'isArray', 'validation.fields.cardsBody')];
  }
  const errors: BodyFieldError[] = [];
  for (const key of Object.keys(body)) {
    if (key !== 'cards') errors.push(forbiddenProperty(key));
  }
  const cards = (body as { cards?: unknown }).cards;
  const listError = objectListError('cards', cards, MAX_CARDS_PER_BATCH);
  if (listError) errors.push(listError);
  return errors.length > 0 ? errors : { cards: cards as Record<string, unknown>[] };
}
