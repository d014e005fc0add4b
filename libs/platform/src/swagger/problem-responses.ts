import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import {
  codeToSlug,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  defaultSlugFor,
  defaultTitleFor,
} from '../problem/problem-types';

export const PROBLEM_SCHEMA_NAME = 'ProblemDetails';
export const PROBLEM_SCHEMA_REF = `#/components/schemas/${PROBLEM_SCHEMA_NAME}`;

/** One documented problem: its status, what it means here, and the example body shown for it. */
export interface ProblemDoc {
  status: number;
  /** When this status is answered, e.g. "No statement with this id". */
  description?: string;
  /** Problem type slug; defaults from the status (validation for 400). */
  type?: string;
  title?: string;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; rule: string; message: string }>;
}

/** A documented domain problem: its status, stable code (type = the code's slug), example detail and meaning. */
export const domainProblem = (status: number, code: string, detail: string, description: string): ProblemDoc => ({
  status,
  code,
  type: codeToSlug(code),
  detail,
  description,
});

/** The example of each status when an operation says nothing more specific. */
const STANDARD: Record<number, Omit<ProblemDoc, 'status'>> = {
  400: {
    description: 'Invalid request: a parameter or body field breaks its rule (each one listed in errors)',
    type: 'validation',
    title: 'Validation failed',
    detail: '1 field is invalid.',
    errors: [{ field: 'limit', rule: 'max', message: 'limit must not be greater than 500' }],
  },
  401: {
    description: 'Missing, expired or invalid bearer token',
    detail: 'The bearer token is invalid or expired.',
  },
  403: {
    description: "The token's role may not call this operation, or a dealer token names another dealer",
    detail: "Role 'dealer' may not use this route.",
  },
  404: { description: 'Nothing with this identifier', detail: 'The resource was not found.' },
  409: { description: 'Conflicts with the current state', detail: 'The request conflicts with the current state.' },
  413: { description: 'The upload is larger than 10 MiB', detail: 'The file is larger than 10485760 bytes.' },
  415: { description: 'Not a supported content type', detail: 'Send multipart/form-data with one file.' },
  422: { description: 'Understood but refused by a domain rule', detail: 'The request breaks a domain rule.' },
  500: { description: 'Unexpected error (logged with the correlation id)', detail: 'An unexpected error occurred.' },
  503: {
    description: 'Database unreachable, overloaded or shutting down; retry after Retry-After seconds',
    type: 'database-unavailable',
    title: 'Service Unavailable',
    detail:
      'The database is unavailable or busy; retry the request later (with the same Idempotency-Key, if it had one).',
  },
};

/** The example body of a problem, as the ProblemDetailsFilter renders it. */
/** The `instance` of an example until the contract sets the operation's path (swagger/contract.ts). */
export const PLACEHOLDER_INSTANCE = '/v1/…';

export function problemExample(doc: ProblemDoc, instance = PLACEHOLDER_INSTANCE): Record<string, unknown> {
  const std = STANDARD[doc.status] ?? {};
  const slug = doc.type ?? std.type ?? defaultSlugFor(doc.status);
  const errors = doc.errors ?? (doc.type === undefined && doc.code === undefined ? std.errors : undefined);
  return {
    type: PROBLEM_TYPE_BASE + slug,
    title: doc.title ?? (doc.type === undefined ? std.title : undefined) ?? defaultTitleFor(doc.status),
    status: doc.status,
    detail: doc.detail ?? std.detail,
    instance,
    correlationId: '0f9d3c1e-5b7a-4c2e-9a51-3d2f6e8b7c40',
    ...(doc.code ? { code: doc.code } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** A response object for one or more problems answered with the same status. */
export function problemResponse(docs: ProblemDoc[]): { description: string; content: Record<string, unknown> } {
  const status = docs[0].status;
  const examples = Object.fromEntries(
    docs.map((d, i) => [
      d.code ?? d.type ?? (i === 0 ? defaultSlugFor(status) : `${defaultSlugFor(status)}-${i + 1}`),
      { summary: d.description ?? STANDARD[status]?.description ?? defaultTitleFor(status), value: problemExample(d) },
    ]),
  );
  const description = docs.map((d) => d.description ?? STANDARD[status]?.description ?? defaultTitleFor(status));
  return {
    description: [...new Set(description)].join('; '),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_SCHEMA_REF }, examples } },
  };
}

/**
 * Documents the problem responses an operation really returns, as application/problem+json with
 * an example that fits each: `@ApiProblems(400, 404, { status: 409, code: 'MONTHS_PENDING', … })`.
 * 401, 403, 500 and 503 are added to every protected operation by the contract (swagger/contract.ts).
 */
export function ApiProblems(...problems: Array<number | ProblemDoc>): MethodDecorator & ClassDecorator {
  const docs = problems.map((p) => (typeof p === 'number' ? { status: p } : p));
  const byStatus = new Map<number, ProblemDoc[]>();
  for (const d of docs) byStatus.set(d.status, [...(byStatus.get(d.status) ?? []), d]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) => ApiResponse({ status, ...problemResponse(list) } as never)),
  );
}

/** The shared problem responses every protected operation may answer, as components.responses. */
export const SHARED_PROBLEM_RESPONSES: Record<string, ProblemDoc> = {
  Unauthorized: { status: 401 },
  Forbidden: { status: 403 },
  InternalError: { status: 500 },
  DatabaseUnavailable: { status: 503 },
};
