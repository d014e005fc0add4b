import { catalogues, CatalogueTree, formatMessage } from '@app/platform';

/**
 * The statement's labels from the `statement` catalogues (libs/platform/src/i18n/locales). A statement is
 * one document for both parties, so every label is printed in Chinese and English together.
 */
function flatten(catalogue: CatalogueTree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(catalogue)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else flatten(value, `${prefix}${key}.`, out);
  }
  return out;
}

export const STATEMENT_CATALOGUES: Readonly<Record<'en' | 'zh-CN', ReadonlyMap<string, string>>> = {
  en: flatten(catalogues().en.statement as CatalogueTree),
  'zh-CN': flatten(catalogues()['zh-CN'].statement as CatalogueTree),
};

export type LabelArgs = Record<string, string | number>;

function label(lang: 'en' | 'zh-CN', key: string, args: LabelArgs = {}): string {
  const text = STATEMENT_CATALOGUES[lang].get(key);
  // A missing key is a programming error, caught by the catalogue test, not a user's problem.
  if (text === undefined) throw new Error(`statement label "${key}" is missing in ${lang}`);
  return formatMessage(text, args);
}

/** "经销商 Dealer": the Chinese label, then the English one. */
export function bilingual(key: string, args?: LabelArgs): string {
  return `${label('zh-CN', key, args)} ${label('en', key, args)}`;
}

/** A code's bilingual label when the catalogue knows it (kinds, statuses, modes), else the code itself. */
export function bilingualValue(group: string, code: string): string {
  return STATEMENT_CATALOGUES.en.has(`${group}.${code}`) ? bilingual(`${group}.${code}`) : code;
}
