import { Controller, Get } from '@nestjs/common';
import { I18nContext, I18nService } from 'nestjs-i18n';
import { PlatformTestApp, startPlatformTestApp } from '@app/testing';
import { Public } from '../auth/auth.decorators';
import { problemText, ProblemException } from '../problem/problem.exception';

/** What an export or any handler does to write its own labels in the request's language. */
@Controller('v1/words')
class WordsController {
  constructor(private readonly i18n: I18nService) {}

  @Get()
  @Public()
  words() {
    const context = I18nContext.current();
    return {
      lang: context?.lang,
      fromContext: context?.t('problems.status.404'),
      fromService: this.i18n.translate('problems.dealerExists', { lang: context?.lang, args: { code: 'D001' } }),
      at: new Date('2026-04-10T15:59:59.000Z').toISOString(),
    };
  }

  @Get('conflict')
  @Public()
  conflict(): never {
    throw new ProblemException({
      status: 409,
      type: 'dealer-exists',
      detail: problemText('dealerExists', { code: 'D7' }),
    });
  }
}

describe('nestjs-i18n on the Fastify adapter', () => {
  let test: PlatformTestApp;

  beforeAll(async () => {
    test = await startPlatformTestApp({
      dbPrefix: 'platform_i18n',
      service: 'dealers',
      migrations: [],
      controllers: [WordsController],
    });
  });
  afterAll(async () => test?.close());

  it('gives handlers the request language through I18nContext and I18nService', async () => {
    const zh = await test.http.get('/v1/words').set('Accept-Language', 'zh-CN,en;q=0.5').expect(200);
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.body).toEqual({
      lang: 'zh-CN',
      fromContext: '未找到',
      fromService: '经销商 D001 已存在。',
      at: '2026-04-10T23:59:59+08:00',
    });
    const en = await test.http.get('/v1/words').expect(200);
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toMatchObject({ lang: 'en', fromContext: 'Not Found', fromService: 'Dealer D001 already exists.' });
  });

  it('translates problems, a route that does not exist included', async () => {
    const conflict = await test.http.get('/v1/words/conflict').set('Accept-Language', 'zh').expect(409);
    expect(conflict.body).toMatchObject({ title: '冲突', detail: '经销商 D7 已存在。' });
    const missing = await test.http.get('/v1/nowhere').set('Accept-Language', 'zh-CN').expect(404);
    expect(missing.headers['content-language']).toBe('zh-CN');
    expect(missing.body.title).toBe('未找到');
  });
});
