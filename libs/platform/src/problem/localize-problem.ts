import { lookupMessage, MessageRef, translate as catalogueTranslate, writeArgs } from '../i18n/catalogue';
import { DEFAULT_LANGUAGE, Language } from '../i18n/language';
import { messageRefOf } from './field-error';
import { ProblemFieldError } from './problem-types';

/** The catalogue keys a problem's title and detail were written from. */
export interface ProblemTexts {
  title?: MessageRef;
  detail?: MessageRef;
}

export type Translator = (language: Language, ref: MessageRef) => string;

/**
 * The key a field message is translated from: the one it was written from, else the message of
 * its rule (`validation.rules.<rule>`), else a general one that names the field and the rule.
 */
export function fieldMessageRef(error: ProblemFieldError, language: Language): MessageRef {
  const ref = messageRefOf(error);
  if (ref) return ref;
  const byRule = `validation.rules.${error.rule}`;
  const args = { field: error.field, rule: error.rule, message: error.message };
  return lookupMessage(language, byRule) ? { key: byRule, args } : { key: 'validation.rules.default', args };
}

/** A rule's message whose limits are unknown (validated without its target) reads the general one instead. */
function fieldMessage(error: ProblemFieldError, language: Language, translate: Translator): string {
  const text = translate(language, fieldMessageRef(error, language));
  if (!/\{\w+\}/.test(text)) return text;
  const args = { field: error.field, rule: error.rule, message: error.message };
  return translate(language, { key: 'validation.rules.default', args });
}

/**
 * The problem body in the request's language. English bodies are already written (exceptions
 * carry English); for another language every title, detail and field message written from a key
 * is translated, and `type`, `code`, field and rule names stay as they are.
 */
export function localizeProblem<B extends { title: string; detail?: unknown; errors?: unknown }>(
  body: B,
  texts: ProblemTexts | undefined,
  language: Language,
  translateFlat: Translator = catalogueTranslate,
): B {
  if (language === DEFAULT_LANGUAGE) return body;
  const translate: Translator = (lang, ref) =>
    translateFlat(lang, { key: ref.key, args: writeArgs(ref.args, (nested) => translate(lang, nested)) });
  const localized: B = { ...body };
  if (texts?.title) localized.title = translate(language, texts.title);
  if (texts?.detail) localized.detail = translate(language, texts.detail);
  if (Array.isArray(body.errors)) {
    localized.errors = (body.errors as ProblemFieldError[]).map((error) => ({
      ...error,
      message: fieldMessage(error, language, translate),
    }));
  }
  return localized;
}
