import { messageRefOf, withMessageRef } from '@app/platform';
import { ALREADY_ACCEPTED, ALREADY_ACCEPTED_REF, CardVerdict, phoneReused } from './card-rules';
import { CardResultView } from './warranty-card.dto';
import { CardCandidate } from './warranty-cards.repository';

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The rules' verdicts as answers for the rejected cards and candidates for the rest (answered once stored). */
export function splitVerdicts(
  cards: Record<string, unknown>[],
  verdicts: CardVerdict[],
): { results: CardResultView[]; candidates: CardCandidate[] } {
  const results: CardResultView[] = new Array(cards.length);
  const candidates: CardCandidate[] = [];
  verdicts.forEach((v, index) => {
    if (v.ok) {
      candidates.push({ index, card: v.card, flags: v.flags });
      return;
    }
    const serial = str(cards[index].serial) ? (cards[index].serial as string) : null;
    const result: CardResultView = {
      index,
      serial,
      status: 'REJECTED',
      code: v.code,
      field: v.field,
      reason: v.reason,
      flags: [],
    };
    const why = messageRefOf(v);
    results[index] = why ? withMessageRef(result, why) : result;
  });
  return { results, candidates };
}

/** A candidate's answer: accepted, or a duplicate the unique index refused. */
export function candidateResult(c: CardCandidate): CardResultView {
  return c.stored
    ? { index: c.index, serial: c.card.serial, status: 'ACCEPTED', flags: c.flags }
    : withMessageRef<CardResultView>(
        {
          index: c.index,
          serial: c.card.serial,
          status: 'REJECTED',
          code: 'DUPLICATE_SERIAL',
          reason: ALREADY_ACCEPTED,
          flags: [],
        },
        ALREADY_ACCEPTED_REF,
      );
}

/**
 * PHONE_REUSED recounted over the cards actually accepted (the database refused some as
 * duplicates); updates their flags and returns those whose flag changed (usually none).
 */
export function recountPhoneReuse(accepted: CardCandidate[], stored: ReadonlyMap<string, number>): CardCandidate[] {
  const changed: CardCandidate[] = [];
  phoneReused(
    accepted.map((c) => c.card.phone),
    stored,
  ).forEach((reused, i) => {
    const c = accepted[i];
    if (reused === c.flags.includes('PHONE_REUSED')) return;
    c.flags = reused ? ['PHONE_REUSED', ...c.flags] : c.flags.filter((f) => f !== 'PHONE_REUSED');
    changed.push(c);
  });
  return changed;
}
