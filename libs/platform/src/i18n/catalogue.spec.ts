import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { catalogues, CatalogueTree, formatMessage, lookupMessage, translate } from './catalogue';
import { LANGUAGES } from './language';

const ROOT = join(__dirname, '../../../..');

function flatten(tree: CatalogueTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') out.set(key, value);
    else for (const [k, v] of flatten(value, key)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

/**
 * The keys the code names: the literals given to problemText(…) (namespace `problems`) and any
 * quoted literal that starts with a catalogue namespace (validation.fields.cursor, statement.title).
 */
function keysUsedInCode(namespaces: string[]): Map<string, string> {
  const used = new Map<string, string>();
  const namespaced = new RegExp(`'(?:${namespaces.join('|')})\\.[A-Za-z0-9_.]+'`, 'g');
  for (const file of [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'libs'))]) {
    const text = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    const calls = /problemText\(([^,)]*)/g;
    for (const call of text.matchAll(calls)) {
      for (const literal of call[1].matchAll(/'([A-Za-z0-9_.]+)'/g)) used.set(`problems.${literal[1]}`, where);
    }
    for (const literal of text.replace(calls, '').matchAll(namespaced)) used.set(literal[0].slice(1, -1), where);
  }
  return used;
}

describe('message catalogues', () => {
  const all = catalogues();
  const flat = Object.fromEntries(LANGUAGES.map((language) => [language, flatten(all[language])])) as Record<
    (typeof LANGUAGES)[number],
    Map<string, string>
  >;

  it('have the same namespaces and the same keys in every language', () => {
    const [first, ...others] = LANGUAGES;
    for (const language of others) {
      expect(Object.keys(all[language]).sort()).toEqual(Object.keys(all[first]).sort());
      expect([...flat[language].keys()].sort()).toEqual([...flat[first].keys()].sort());
    }
  });

  it('use the same placeholders for a key in every language, and no text is empty', () => {
    const mismatched: string[] = [];
    for (const [key, english] of flat.en) {
      for (const language of LANGUAGES) {
        const text = flat[language].get(key) ?? '';
        if (text.trim() === '') mismatched.push(`${language} ${key}: empty`);
        else if (placeholders(text).join() !== placeholders(english).join()) mismatched.push(`${language} ${key}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('have every key the code uses, in every language', () => {
    const used = keysUsedInCode(Object.keys(all.en));
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used]
      .flatMap(([key, file]) => LANGUAGES.map((language) => [language, key, file]))
      .filter(([language, key]) => lookupMessage(language as (typeof LANGUAGES)[number], key) === undefined)
      .map((entry) => entry.join(' '));
    expect(missing).toEqual([]);
  });

  it('write Chinese text in the Chinese catalogue (only codes, names and placeholders stay Latin)', () => {
    const latinOnly = [...flat['zh-CN']].filter(([, text]) => !/[\u4e00-\u9fff]/.test(text)).map(([key]) => key);
    expect(latinOnly).toEqual([]);
  });

  it('fills placeholders and falls back to English, then to the key', () => {
    expect(formatMessage('Dealer {code} of {code}, {missing}', { code: 'D001' })).toBe(
      'Dealer D001 of D001, {missing}',
    );
    expect(translate('zh-CN', { key: 'problems.dealerExists', args: { code: 'D001' } })).toBe('经销商 D001 已存在。');
    expect(translate('en', { key: 'problems.dealerExists', args: { code: 'D001' } })).toBe(
      'Dealer D001 already exists.',
    );
    expect(translate('zh-CN', { key: 'problems.noSuchKey' })).toBe('problems.noSuchKey');
  });
});
