import request from 'supertest';
import { people, RunningService, ServiceUnderTest } from '@app/testing';
import { startDealersService } from '../dealers.test-support';

jest.setTimeout(60_000);

const { adminAnn: admin, financeAlice: finance, d001 } = people;

/** One registration wrong in three ways: the dealer code's format, an empty name, a region too long. */
const badRegistration = { code: 'd 001', name: '', region: 'x'.repeat(101) };

describe('problems in the language the client prefers (Accept-Language)', () => {
  let stack: ServiceUnderTest | undefined;
  let svc: RunningService;

  beforeAll(async () => {
    stack = await startDealersService('int_dealers_language');
    ({ svc } = stack);
  });
  afterAll(async () => stack?.close());

  const register = (language?: string) => {
    const call = request(svc.url).post('/v1/dealers').set(admin);
    return (language ? call.set('Accept-Language', language) : call).send(badRegistration).expect(400);
  };

  it('answers the same bad request in English and in Simplified Chinese, with the same type, fields and rules', async () => {
    const en = await register('en-US,en;q=0.9');
    const zh = await register('zh-CN,zh;q=0.9,en;q=0.8');

    expect(en.headers['content-language']).toBe('en');
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.headers.vary).toMatch(/accept-language/i);
    expect(en.body).toMatchObject({ title: 'Validation failed', detail: '3 field(s) failed validation.' });
    expect(zh.body).toMatchObject({ title: '校验未通过', detail: '共有 3 处字段未通过校验。' });
    // Clients match on these: never translated.
    expect(zh.body.type).toBe(en.body.type);
    const names = (body: { errors: Array<{ field: string; rule: string }> }) =>
      body.errors.map(({ field, rule }) => `${field}:${rule}`);
    expect(names(en.body)).toEqual(['code:matches', 'name:minLength', 'region:maxLength']);
    expect(names(zh.body)).toEqual(names(en.body));

    const message = (body: { errors: Array<{ field: string; rule: string; message: string }> }, key: string) =>
      body.errors.find((e) => `${e.field}:${e.rule}` === key)?.message;
    expect(message(en.body, 'code:matches')).toBe(
      'code must be a dealer code: 1-32 upper-case letters, digits or dashes',
    );
    expect(message(zh.body, 'code:matches')).toBe('code 必须是经销商代码：1–32 位大写字母、数字或短横线');
    expect(message(en.body, 'region:maxLength')).toBe('region must be shorter than or equal to 100 characters');
    expect(message(zh.body, 'region:maxLength')).toBe('region 的长度不能超过 100 个字符');
    expect(message(zh.body, 'name:minLength')).toBe('name 的长度不能少于 1 个字符');
  });

  it('answers a domain problem with its key in Chinese and its code unchanged', async () => {
    await request(svc.url).post('/v1/dealers').set(finance).send({ code: 'D900', name: '杭州顺达车行' }).expect(201);
    const again = () => request(svc.url).post('/v1/dealers').set(finance).send({ code: 'D900', name: '杭州顺达车行' });
    const en = await again().expect(409);
    const zh = await again().set('Accept-Language', 'zh').expect(409);
    expect(en.body).toMatchObject({ code: 'DEALER_EXISTS', title: 'Conflict', detail: 'Dealer D900 already exists.' });
    expect(zh.body).toMatchObject({ code: 'DEALER_EXISTS', title: '冲突', detail: '经销商 D900 已存在。' });
    expect(zh.body.type).toBe(en.body.type);
  });

  it('weighs the languages by q and falls back to English for languages it does not speak', async () => {
    const preferChinese = await register('en;q=0.5, zh-Hans;q=0.9');
    expect(preferChinese.headers['content-language']).toBe('zh-CN');
    const french = await register('fr-FR');
    expect(french.headers['content-language']).toBe('en');
    expect(french.body.title).toBe('Validation failed');
    const none = await register();
    expect(none.headers['content-language']).toBe('en');
  });

  it('answers 401 and 403 in Chinese too', async () => {
    const unauthenticated = await request(svc.url).get('/v1/dealers').set('Accept-Language', 'zh-CN').expect(401);
    expect(unauthenticated.body).toMatchObject({ title: '未认证', detail: '需要提供 Bearer 令牌。' });
    const forbidden = await request(svc.url)
      .post('/v1/dealers')
      .set(d001)
      .set('Accept-Language', 'zh-CN')
      .send({ code: 'D901', name: '宁波安达车行' })
      .expect(403);
    expect(forbidden.body).toMatchObject({ title: '无权访问', detail: '角色“dealer”无权使用该接口。' });
  });

  describe('report uploads (R-REP-3)', () => {
    const upload = (csv: string, language: string, filename = 'sales.csv') =>
      request(svc.url)
        .post('/v1/dealers/D001/reports/2026-01/upload')
        .set(d001)
        .set('Accept-Language', language)
        .attach('file', Buffer.from(csv), { filename, contentType: 'text/csv' });
    const reasons = (errors: Array<{ field?: string; column?: string; message?: string; reason?: string }>) =>
      errors.map((e) => `${e.field ?? e.column}: ${e.message ?? e.reason}`);

    beforeAll(async () => {
      await request(svc.url).post('/v1/dealers').set(finance).send({ code: 'D001', name: '杭州顺达车行' }).expect(201);
      await request(svc.url).put('/v1/product-models/EB-100').set(finance).send({ name: 'EB-100' }).expect(201);
    });

    it('answers a refused upload (422) with every row error in Chinese with zh-CN and in English with en', async () => {
      const csv = 'outlet,model,units,amount\nD 1,EB-100,three,-5\n';
      const answers = {
        'zh-CN': {
          title: '无法处理的内容',
          reasons: [
            'sales.csv[2].outlet: outlet 必须是经销商或二级网点代码',
            'sales.csv[2].units: units 必须是整数',
            'sales.csv[2].amount: amount 必须是最多两位小数的金额（元），例如 1999.00',
          ],
        },
        en: {
          title: 'Unprocessable Content',
          reasons: [
            'sales.csv[2].outlet: outlet must be a dealer or sub-distributor code',
            'sales.csv[2].units: units must be a whole number',
            'sales.csv[2].amount: amount must be an amount with at most 2 decimal places, e.g. 1999.00',
          ],
        },
      };
      for (const [language, expected] of Object.entries(answers)) {
        const res = await upload(csv, language).expect(422);
        expect(res.headers['content-language']).toBe(language);
        expect(res.body).toMatchObject({ code: 'NO_VALID_ROWS', title: expected.title });
        expect(reasons(res.body.errors)).toEqual(expected.reasons);
      }
    });

    it('gives the row reasons of a stored upload (201) in the language asked for', async () => {
      const csv = 'outlet,model,units,amount\nD001,EB-100,3,5997.00\nD001,EB-100,1,1.001\n';
      const zh = await upload(csv, 'zh-CN').expect(201);
      expect(reasons(zh.body.errors)).toEqual(['amount: amount 必须是最多两位小数的金额（元），例如 1999.00']);
      const en = await upload(csv, 'en').expect(201);
      expect(reasons(en.body.errors)).toEqual([
        'amount: amount must be an amount with at most 2 decimal places, e.g. 1999.00',
      ]);
    });

    it('gives the R-CARD-1 reason of a refused card row in Chinese with zh-CN', async () => {
      const csv =
        'serial,model,saleDate,consumerName,phone,address\nEB999-2026-000001,EB-999,2026-01-09,张三,13800138000,上海\n';
      const zh = await upload(csv, 'zh-CN', 'warranty-cards.csv').expect(201);
      expect(reasons(zh.body.errors)).toEqual(['model: 拒收 UNKNOWN_MODEL：车型 EB-999 不在产品目录中']);
      expect(zh.body.warrantyCards.results[0]).toMatchObject({
        code: 'UNKNOWN_MODEL',
        reason: '车型 EB-999 不在产品目录中',
      });
    });

    it('answers the warranty-card API with the reasons of refused cards in the language asked for', async () => {
      const card = { serial: 'EB999-2026-000002', model: 'EB-999', saleDate: '2026-01-09' };
      const cards = [{ ...card, consumerName: '李四', phone: '13800138001', address: '杭州' }];
      const send = (language: string) =>
        request(svc.url)
          .post('/v1/dealers/D001/reports/2026-01/warranty-cards')
          .set(d001)
          .set('Accept-Language', language)
          .send({ cards })
          .expect(201);
      expect((await send('zh-CN')).body.results[0].reason).toBe('车型 EB-999 不在产品目录中');
      expect((await send('en')).body.results[0].reason).toBe('model EB-999 is not in the product catalogue');
    });
  });
});
