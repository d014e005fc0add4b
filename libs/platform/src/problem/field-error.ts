import { english, MessageArgs, MessageRef, translate } from '../i18n/catalogue';
import { DEFAULT_LANGUAGE, Language } from '../i18n/language';
import { ProblemFieldError } from './problem-types';

/** Where a field error keeps its message key: not enumerable, so it never reaches the JSON body or a toEqual. */
const MESSAGE_REF = Symbol('messageRef');

type Keyed = { [MESSAGE_REF]?: MessageRef };

/**
 * Attaches the key a field error's message (or any other object's English text, e.g. an upload's
 * row reason) is translated from; the English text stays as given.
 */
export function withMessageRef<T extends object>(error: T, ref: MessageRef): T {
  Object.defineProperty(error, MESSAGE_REF, { value: ref, enumerable: false });
  return error;
}

export function messageRefOf(error: object): MessageRef | undefined {
  return (error as Keyed)[MESSAGE_REF];
}

/**
 * A field error whose message comes from the catalogue: `message` is the English text, and the
 * problem filter answers in the request's language. `field` is passed to the text as `{field}`.
 */
export function fieldError(field: string, rule: string, key: string, args: MessageArgs = {}): ProblemFieldError {
  const ref = { key, args: { field, ...args } };
  return withMessageRef({ field, rule, message: english(ref.key, ref.args) }, ref);
}

/**
 * An answer's item (an upload's row error, a card result) with its `reason` in `language`, when
 * the reason carries the message it was written from; English, or a reason without one, as is.
 */
export function reasonIn<T extends { reason?: string }>(language: string, item: T): T {
  const why = messageRefOf(item);
  return why && language !== DEFAULT_LANGUAGE ? { ...item, reason: translate(language as Language, why) } : item;
}

/** A field error whose message is a message of the catalogue (keys that do not take `{field}`, nested messages). */
export function fieldErrorOf(field: string, rule: string, ref: MessageRef): ProblemFieldError {
  return withMessageRef({ field, rule, message: english(ref.key, ref.args) }, ref);
}

/** The same error under another field name (e.g. prefixed with its row), keeping its message key. */
export function renameField(error: ProblemFieldError, field: string): ProblemFieldError {
  const ref = messageRefOf(error);
  const renamed = { ...error, field };
  return ref ? withMessageRef(renamed, { key: ref.key, args: { ...ref.args, field } }) : renamed;
}
