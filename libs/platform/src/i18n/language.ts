/** The languages every human-readable answer is given in; `en` when the client prefers none of them. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Simplified Chinese tags: zh alone means Simplified for our users (mainland dealers); zh-TW / zh-Hant do not. */
const SIMPLIFIED_CHINESE = /^zh(-(cn|hans|hans-cn|sg|hans-sg))?$/;

function languageOf(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  if (SIMPLIFIED_CHINESE.test(lower)) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-') || lower === '*') return 'en';
  return undefined;
}

interface WeightedTag {
  tag: string;
  q: number;
  order: number;
}

function parseAcceptLanguage(header: string): WeightedTag[] {
  return header
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => /^q=/i.test(p));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0);
}

/**
 * The language to answer in, from an Accept-Language header (RFC 9110 §12.5.4): the supported
 * language of the highest-weighted tag (q=0 refuses a tag; equal weights keep the client's order).
 */
export function preferredLanguage(header: string | string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return DEFAULT_LANGUAGE;
  const ranked = parseAcceptLanguage(text).sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranked) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}
