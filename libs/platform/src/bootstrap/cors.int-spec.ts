import { Controller, Get, Post } from '@nestjs/common';
import { PlatformTestApp, PLATFORM_TEST_SECRET, startPlatformTestApp } from '@app/testing';
import { issueToken, Roles } from '../auth';

@Controller('v1/things')
class ThingsController {
  @Get()
  @Roles('auditor', 'finance')
  list() {
    return { items: [{ code: 'T1' }], nextCursor: null };
  }

  @Post()
  @Roles('finance')
  create() {
    return { code: 'T2' };
  }
}

const DOCS = 'https://docs.example.com';

describe('CORS: the allowed origins may call the API from a browser, no other origin', () => {
  let t: PlatformTestApp;
  const auditor = `Bearer ${issueToken(PLATFORM_TEST_SECRET, { sub: 'a1', role: 'auditor' })}`;

  beforeAll(async () => {
    t = await startPlatformTestApp({
      dbPrefix: 'cors',
      service: 'dealers',
      migrations: [],
      controllers: [ThingsController],
      env: { CORS_ALLOWED_ORIGINS: `${DOCS},http://127.0.0.1:3004` },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  const preflight = (origin: string, method = 'GET') =>
    t.http
      .options('/v1/things')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', method)
      .set('Access-Control-Request-Headers', 'authorization,idempotency-key,accept-language,content-type');

  it('answers the preflight of an allowed origin with 204 and the methods and headers Swagger UI sends', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await preflight(DOCS, method);
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(DOCS);
      expect(res.headers['access-control-allow-methods']).toContain(method);
      const headers = res.headers['access-control-allow-headers'].toLowerCase().split(/,\s*/);
      expect(headers).toEqual(
        expect.arrayContaining(['authorization', 'idempotency-key', 'accept-language', 'content-type']),
      );
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers.vary).toMatch(/Origin/);
    }
  });

  it('gives a disallowed origin no CORS header: its preflight is a 404 like any unknown route', async () => {
    for (const origin of ['https://evil.example', 'https://docs.example.com.evil.example', 'null']) {
      const res = await preflight(origin);
      expect(res.status).toBe(404);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      const get = await t.http.get('/v1/things').set('Origin', origin).set('Authorization', auditor);
      expect(get.status).toBe(200);
      expect(Object.keys(get.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('puts the CORS headers on a real GET, on its problem answers too', async () => {
    const res = await t.http.get('/v1/things').set('Origin', 'http://127.0.0.1:3004').set('Authorization', auditor);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ code: 'T1' }]);
    expect(res.headers['access-control-allow-origin']).toBe('http://127.0.0.1:3004');
    expect(res.headers['access-control-expose-headers']).toMatch(/Content-Disposition/);
    const denied = await t.http.get('/v1/things').set('Origin', DOCS);
    expect(denied.status).toBe(401);
    expect(denied.headers['access-control-allow-origin']).toBe(DOCS);
    const refused = await t.http.get('/v1/things?nope=1').set('Origin', DOCS).set('Authorization', auditor);
    expect(refused.status).toBe(400);
    expect(refused.headers['access-control-allow-origin']).toBe(DOCS);
  });

  it('sends no CORS header to a request without Origin (same origin, curl, another service)', async () => {
    const res = await t.http.get('/v1/things').set('Authorization', auditor);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("tells in the bearer scheme which claims each role's token needs", async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    const scheme = doc.body.components.securitySchemes.bearer;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const claim of ['`sub`', '`role`', '`dealer`', '`iss`', '`aud`', '`exp`'])
      expect(scheme.description).toContain(claim);
    for (const role of ['dealer', 'finance', 'after-sales', 'auditor', 'admin'])
      expect(scheme.description).toContain(`\`${role}\``);
    expect(doc.body.security).toEqual([{ bearer: [] }]);
  });
});
