import type { OpenAPIObject } from '@nestjs/swagger';
import { completeContract } from './contract';
import { domainProblem, problemExample, problemResponse } from './problem-responses';

const doc = (paths: Record<string, unknown>): OpenAPIObject =>
  ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths, components: {} }) as unknown as OpenAPIObject;

const listOp = () => ({
  operationId: 'listThings',
  description: 'Lists things.',
  tags: ['things'],
  'x-roles': ['finance', 'dealer'],
  'x-rules': ['R-SET-8'],
  parameters: [
    {
      name: 'dealer',
      in: 'query',
      required: false,
      description: 'Only this dealer',
      schema: { type: 'string', example: 'D001' },
    },
    { name: 'quarter', in: 'query', required: false, example: '2026-Q1', schema: { type: 'string' } },
    { name: 'id', in: 'path', required: true, example: 'x-1', schema: { type: 'string' } },
  ],
  responses: { '200': { description: 'ok' } },
});

describe('completeContract', () => {
  it('moves the example of an optional filter into its description, so Swagger UI does not pre-fill it', () => {
    const d = completeContract(doc({ '/v1/things': { get: listOp() } }));
    const [dealer, quarter, id] = (
      d.paths['/v1/things'].get as unknown as { parameters: Array<Record<string, unknown>> }
    ).parameters;
    expect(dealer).toEqual({
      name: 'dealer',
      in: 'query',
      required: false,
      description: 'Only this dealer. Example: `D001` (leave empty for no filter).',
      schema: { type: 'string' },
    });
    expect(quarter.example).toBeUndefined();
    expect(quarter.description).toBe('Example: `2026-Q1` (leave empty for no filter).');
    expect(id.example).toBe('x-1');
  });

  it('says who may call and which rules apply, and references the shared problem responses', () => {
    const d = completeContract(doc({ '/v1/things': { get: listOp() } }));
    const op = d.paths['/v1/things'].get as { description: string; responses: Record<string, unknown> };
    expect(op.description).toBe(
      'Lists things.\n\n**Who may call:** roles `finance`, `dealer`. A `dealer` token reaches only its own dealer code.\n\n**Rules applied:** R-SET-8 (DOMAIN.md).',
    );
    expect(op.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(op.responses['503']).toEqual({ $ref: '#/components/responses/DatabaseUnavailable' });
    expect(d.tags).toEqual([{ name: 'things', description: 'things' }]);
  });

  it("gives each problem example the operation's path as its instance", () => {
    const op = { ...listOp(), responses: { '404': problemResponse([{ status: 404 }]) } };
    const d = completeContract(doc({ '/v1/things/{id}': { get: op } }));
    const res = (
      d.paths['/v1/things/{id}'].get as unknown as { responses: Record<string, ReturnType<typeof problemResponse>> }
    ).responses['404'];
    const examples = (res.content['application/problem+json'] as { examples: Record<string, { value: object }> })
      .examples;
    expect(examples['not-found'].value).toMatchObject({ instance: '/v1/things/{id}', status: 404 });
  });

  it('refuses a document whose operationIds are not unique', () => {
    expect(() => completeContract(doc({ '/a': { get: listOp() }, '/b': { get: listOp() } }))).toThrow(
      /GET \/b needs a unique operationId \(listThings\)/,
    );
  });
});

describe('problem examples', () => {
  it('fit their status: 401 is not a validation problem', () => {
    expect(problemExample({ status: 401 })).toMatchObject({
      type: 'https://errors.after-sales.example/unauthorized',
      title: 'Unauthorized',
      status: 401,
    });
    expect(problemExample({ status: 401 }).errors).toBeUndefined();
    expect(problemExample({ status: 400 })).toMatchObject({ title: 'Validation failed', errors: expect.any(Array) });
  });

  it('list every problem of one status as its own named example', () => {
    const res = problemResponse([
      domainProblem(409, 'STATEMENT_NOT_DRAFT', 'The statement is POSTED.', 'Not a DRAFT'),
      domainProblem(409, 'MONTHS_PENDING', '2026-03 is pending.', 'A month is pending'),
    ]);
    expect(res.description).toBe('Not a DRAFT; A month is pending');
    const examples = (res.content['application/problem+json'] as { examples: Record<string, { value: object }> })
      .examples;
    expect(Object.keys(examples)).toEqual(['STATEMENT_NOT_DRAFT', 'MONTHS_PENDING']);
    expect(examples.MONTHS_PENDING.value).toMatchObject({
      type: 'https://errors.after-sales.example/months-pending',
      code: 'MONTHS_PENDING',
      status: 409,
    });
  });
});
