import { preferredLanguage } from './language';

describe('preferredLanguage (Accept-Language)', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['ZH-hans-cn', 'zh-CN'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['en;q=0.5, zh-Hans;q=0.9', 'zh-CN'],
    ['zh;q=0.4, en;q=0.6', 'en'],
    ['zh-CN;q=0, en', 'en'],
    ['zh-TW', 'en'],
    ['zh-Hant', 'en'],
    ['fr-FR, zh;q=0.5', 'zh-CN'],
    ['fr-FR', 'en'],
    ['*', 'en'],
    ['', 'en'],
    [';;,q=', 'en'],
  ])('%j → %s', (header, language) => {
    expect(preferredLanguage(header)).toBe(language);
  });

  it('answers in English without the header, and reads a repeated header as one list', () => {
    expect(preferredLanguage(undefined)).toBe('en');
    expect(preferredLanguage(['fr', 'zh-CN;q=0.8'])).toBe('zh-CN');
  });
});
