import { Body, Controller, Get, HttpCode, Module, Param, Post, Query, Req } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import request from 'supertest';
import { createTestDatabase, TestDatabase } from '@app/testing';
import { issueToken, Roles } from '../auth';
import { loadServiceConfig } from '../config';
import { createServiceApp } from './create-service-app';
import { PlatformModule } from './platform.module';

const SECRET = 'local-development-secret-please-change';

class NoteDto {
  @IsString() @MaxLength(100_000) text!: string;
  @IsOptional() @IsString({ each: true }) tags?: unknown;
}

class NoteQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
}

let handled = 0;

@Controller('v1/notes')
class NotesController {
  @Post()
  @HttpCode(201)
  @Roles('finance')
  create(@Body() dto: NoteDto) {
    handled += 1;
    return { length: dto.text.length };
  }

  @Get(':code')
  @Roles('finance', 'auditor')
  get(@Param('code') code: string, @Query() query: NoteQuery) {
    handled += 1;
    return { code, q: query.q ?? null };
  }

  @Post(':code/upload')
  @HttpCode(201)
  @Roles('finance')
  async upload(@Req() req: FastifyRequest) {
    let bytes = 0;
    for await (const part of req.files()) bytes += (await part.toBuffer()).length;
    handled += 1;
    return { bytes };
  }
}

describe('HTTP edge: what no route can take is refused as a problem before it reaches one', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  const finance = { Authorization: `Bearer ${issueToken(SECRET, { sub: 'f', role: 'finance' })}` };

  beforeAll(async () => {
    db = await createTestDatabase('http_edge');
    const config = loadServiceConfig('dealers', {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: 'localhost:9092',
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
    });
    @Module({
      imports: [PlatformModule.forRoot({ config, entities: [], migrations: [] })],
      controllers: [NotesController],
    })
    class EdgeTestModule {}
    app = await createServiceApp(EdgeTestModule, config, { title: 'edge', description: 'edge test' });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    http = request(app.getHttpAdapter().getInstance().server);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const expectProblem = (res: request.Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(status);
  };

  it('answers malformed percent-encoding in the path with a 400 problem that does not repeat the path', async () => {
    const res = await http.get('/v1/notes/%E0%A4%A').set(finance);
    expectProblem(res, 400);
    expect(res.body.type).toMatch(/\/malformed-url$/);
    expect(res.text).not.toContain('%E0%A4%A');
  });

  it('answers an overlong path segment or request target with a 414 problem that does not repeat it', async () => {
    const segment = 'x'.repeat(5000);
    for (const path of [`/v1/notes/${segment}`, `/v1/nowhere/${segment}`, `/v1/notes/N1?q=${segment}`]) {
      const res = await http.get(path).set(finance);
      expectProblem(res, 414);
      expect(res.body.type).toMatch(/\/uri-too-long$/);
      expect(res.text).not.toContain('xxxxxxxxxx');
    }
    expect((await http.get(`/v1/notes/${'x'.repeat(500)}`).set(finance)).status).toBe(200);
  });

  it('refuses a NUL character in a path, query or body value, or in a property name, naming the field', async () => {
    const before = handled;
    const cases: Array<[request.Test, string]> = [
      [http.get('/v1/notes/D%00X').set(finance), 'code'],
      [http.get('/v1/notes/N1?q=a%00b').set(finance), 'q'],
      [http.post('/v1/notes').set(finance).send({ text: 'a\u0000b' }), 'text'],
      [
        http
          .post('/v1/notes')
          .set(finance)
          .send({ text: 'ok', tags: ['a', 'b\u0000'] }),
        'tags[1]',
      ],
      [http.post('/v1/notes').set(finance).send({ text: 'ok', 'x\u0000': 1 }), 'body'],
    ];
    for (const [pending, field] of cases) {
      const res = await pending;
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, rule: 'noNulCharacter' })]);
    }
    expect(handled).toBe(before);
  });

  it('refuses a body nested thousands of levels deep before the validation pipe and the idempotency interceptor', async () => {
    const deep = `{"text":"x","tags":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    for (const headers of [finance, { ...finance, 'Idempotency-Key': 'deep-1' }]) {
      const res = await http.post('/v1/notes').set(headers).set('content-type', 'application/json').send(deep);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body', rule: 'maxDepth' })]);
    }
    const shallow = await http
      .post('/v1/notes')
      .set(finance)
      .send({ text: 'x'.repeat(90_000), tags: ['a', 'b'] });
    expect(shallow.status).toBe(201);
  });

  it('answers a multipart body without its closing boundary with a 400 problem', async () => {
    const body =
      '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nmodel,units\r\nEB,1\r\n';
    const res = await http
      .post('/v1/notes/N1/upload')
      .set(finance)
      .set('content-type', 'multipart/form-data; boundary=XYZ')
      .send(body);
    expectProblem(res, 400);
    expect(res.body.type).toMatch(/\/malformed-body$/);
  });

  it('refuses a query parameter the route does not declare, naming it', async () => {
    const before = handled;
    const res = await http.get('/v1/notes/N1?q=a&dealr=D001').set(finance);
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'dealr', rule: 'forbidden' })]);
    expect((await http.post('/v1/notes?x=1').set(finance).send({ text: 'a' })).status).toBe(400);
    expect(handled).toBe(before);
    expect((await http.get('/v1/notes/N1?q=a').set(finance)).status).toBe(200);
  });

  it('refuses a body that is null, an array or a scalar where the route takes an object', async () => {
    for (const body of ['null', '[]', '"text"', '12']) {
      const res = await http.post('/v1/notes').set(finance).set('content-type', 'application/json').send(body);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body', rule: 'isObject' })]);
    }
  });

  it('documents the roles of each operation in the OpenAPI document', async () => {
    const doc = await http.get('/docs-json').expect(200);
    expect(doc.body.paths['/v1/notes'].post['x-roles']).toEqual(['finance']);
    expect(doc.body.paths['/v1/notes/{code}'].get['x-roles']).toEqual(['finance', 'auditor']);
  });
});
