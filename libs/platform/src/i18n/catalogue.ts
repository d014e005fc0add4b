import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LANGUAGE, Language, LANGUAGES } from './language';

/**
 * The message catalogues: one folder per language under `locales/`, one JSON file per namespace
 * (`problems.json`, `validation.json`, …). A key is `<namespace>.<path>` (`problems.dealerExists.detail`).
 * Read once, synchronously, so an exception built anywhere can carry its English text.
 */
export const LOCALES_DIR = join(__dirname, 'locales');

/**
 * A placeholder's value: text, a number, or another message (written in the same language, so an
 * English reason never lands in a Chinese sentence); a list of messages reads joined by '; '.
 */
export type MessageArg = string | number | MessageRef | readonly MessageRef[];
export type MessageArgs = Record<string, MessageArg>;

/** A message by key, with the values of its `{placeholders}`. */
export interface MessageRef {
  key: string;
  args?: MessageArgs;
}

/** Placeholder values as text: nested messages written by `write` (in the language of the outer one). */
export function writeArgs(
  args: MessageArgs | undefined,
  write: (ref: MessageRef) => string,
): Record<string, string | number> | undefined {
  if (!args) return undefined;
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(args)) {
    if (typeof value === 'string' || typeof value === 'number') out[name] = value;
    else if (Array.isArray(value)) out[name] = (value as readonly MessageRef[]).map(write).join('; ');
    else out[name] = write(value as MessageRef);
  }
  return out;
}

export type CatalogueTree = { [name: string]: string | CatalogueTree };

let loaded: Record<Language, CatalogueTree> | undefined;

function readLanguage(language: Language): CatalogueTree {
  const folder = join(LOCALES_DIR, language);
  const tree: CatalogueTree = {};
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    tree[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(folder, file), 'utf8')) as CatalogueTree;
  }
  return tree;
}

/** Every language's catalogue, keyed by namespace (the file name without `.json`). */
export function catalogues(): Record<Language, CatalogueTree> {
  loaded ??= Object.fromEntries(LANGUAGES.map((language) => [language, readLanguage(language)])) as Record<
    Language,
    CatalogueTree
  >;
  return loaded;
}

/** Replaces `{name}` with args.name; a placeholder without a value stays as written. */
export function formatMessage(template: string, args: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole,
  );
}

/** The text of a key, or undefined when the language's catalogue lacks it. */
export function lookupMessage(language: Language, key: string): string | undefined {
  let node: string | CatalogueTree | undefined = catalogues()[language];
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** The message in `language`, falling back to English, then to the key itself (a missing key shows, never throws). */
export function translate(language: Language, ref: MessageRef): string {
  const template = lookupMessage(language, ref.key) ?? lookupMessage(DEFAULT_LANGUAGE, ref.key) ?? ref.key;
  return formatMessage(
    template,
    writeArgs(ref.args, (nested) => translate(language, nested)),
  );
}

/** Shorthand for the English text of a key: what exceptions carry as their message. */
export const english = (key: string, args?: MessageArgs): string => translate(DEFAULT_LANGUAGE, { key, args });
