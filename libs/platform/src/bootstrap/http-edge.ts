import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { english, MessageRef } from '../i18n/catalogue';
import { preferredLanguage } from '../i18n/language';
import { fieldError } from '../problem/field-error';
import { localizeProblem } from '../problem/localize-problem';
import { problemText } from '../problem/problem.exception';
import {
  PROBLEM_CONTENT_TYPE,
  problemTypeUri,
  defaultTitleFor,
  ProblemFieldError,
  statusTitleRef,
} from '../problem/problem-types';
import { validationProblem } from '../problem/validation';

/**
 * Checks every request at the HTTP edge, before guards, pipes and interceptors run: what no
 * route can take is refused here as a problem, never passed on to fail deeper.
 */

/** Deepest nesting of a JSON body; the deepest body any route takes has four levels. */
export const MAX_BODY_DEPTH = 32;
/** Longest request target (path and query) answered with anything but 414. */
export const MAX_URL_LENGTH = 4096;
/** Longest path parameter the router hands on; the routes' own rules then name the field. */
export const MAX_PARAM_LENGTH = 1024;

interface EdgeProblem {
  status: 400 | 414;
  slug: string;
  detail: MessageRef;
}

const BAD_URL: EdgeProblem = {
  status: 400,
  slug: 'malformed-url',
  detail: problemText('malformedUrl'),
};
const URL_TOO_LONG: EdgeProblem = {
  status: 414,
  slug: 'uri-too-long',
  detail: problemText('uriTooLong', { maxUrl: MAX_URL_LENGTH, maxSegment: MAX_PARAM_LENGTH }),
};

/**
 * Answers a problem that does not repeat the request target: a router error happens before any
 * route matched, so `instance` names the occurrence by request id instead of by path.
 */
function sendEdgeProblem(request: FastifyRequest, reply: FastifyReply, problem: EdgeProblem): FastifyReply {
  const englishBody = {
    type: problemTypeUri(problem.slug),
    title: defaultTitleFor(problem.status),
    status: problem.status,
    detail: english(problem.detail.key, problem.detail.args),
    instance: `urn:uuid:${request.id}`,
  };
  const texts = { title: statusTitleRef(problem.status), detail: problem.detail };
  const body = localizeProblem(englishBody, texts, preferredLanguage(request.headers['accept-language']));
  return reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Fastify options of every service: router errors (bad percent-encoding, overlong segments) become problems. */
export function httpEdgeOptions(): Pick<FastifyServerOptions, 'routerOptions' | 'frameworkErrors'> {
  return {
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // FST_ERR_BAD_URL or FST_ERR_MAX_PARAM_LENGTH; the third, FST_ERR_ASYNC_CONSTRAINT, needs async route constraints, which no service declares.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      sendEdgeProblem(request, reply, error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? URL_TOO_LONG : BAD_URL);
    },
  };
}

function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

const NUL = '\u0000';

function nulProblem(field: string): ProblemFieldError {
  return fieldError(field, 'noNulCharacter', 'validation.fields.noNul');
}

/**
 * The first thing no route can take in a parsed body: a NUL character in a string or property
 * name (PostgreSQL stores neither), or nesting deeper than `maxDepth`. Walks the body with an
 * explicit stack, so a body nested thousands of levels deep is measured, not recursed into.
 */
export function findBodyProblem(
  body: unknown,
  maxDepth = MAX_BODY_DEPTH,
  root = 'body',
): ProblemFieldError | undefined {
  if (typeof body === 'string') return body.includes(NUL) ? nulProblem(root) : undefined;
  if (body === null || typeof body !== 'object') return undefined;
  // Containers seen so far with their depth and where they hang, to name a field only when one is refused.
  const nodes: object[] = [body];
  const depths: number[] = [1];
  const parents: number[] = [-1];
  const keys: Array<string | number> = [''];
  const pathOf = (index: number, last?: string | number): string => {
    const parts: Array<string | number> = last === undefined ? [] : [last];
    for (let i = index; i > 0; i = parents[i]) parts.push(keys[i]);
    return parts.reverse().reduce<string>((path, key) => joinPath(path, key), '') || root;
  };
  const pending: number[] = [0];
  while (pending.length > 0) {
    const index = pending.pop()!;
    const node = nodes[index];
    const depth = depths[index];
    if (depth > maxDepth) {
      return fieldError(root, 'maxDepth', 'validation.fields.maxDepth', { maxDepth });
    }
    const isArray = Array.isArray(node);
    const names = isArray ? undefined : Object.keys(node);
    const length = isArray ? (node as unknown[]).length : names!.length;
    for (let i = 0; i < length; i += 1) {
      const key: string | number = isArray ? i : names![i];
      if (!isArray && (key as string).includes(NUL)) return nulProblem(pathOf(index));
      const value = (node as Record<string | number, unknown>)[key];
      if (typeof value === 'string') {
        if (value.includes(NUL)) return nulProblem(pathOf(index, key));
      } else if (value !== null && typeof value === 'object') {
        nodes.push(value);
        depths.push(depth + 1);
        parents.push(index);
        keys.push(key);
        pending.push(nodes.length - 1);
      }
    }
  }
  return undefined;
}

/** The first path or query value with a NUL character (decoded from %00), by its name. */
function findParameterProblem(values: unknown): ProblemFieldError | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  for (const [name, value] of Object.entries(values)) {
    const all = Array.isArray(value) ? value : [value];
    if (name.includes(NUL) || all.some((v) => typeof v === 'string' && v.includes(NUL)))
      return nulProblem(name.includes(NUL) ? 'query' : name);
  }
  return undefined;
}

/**
 * Registers the edge checks on the app's Fastify instance: the length of the request target
 * (onRequest, every request) and NUL characters in path, query and body, and the body's depth
 * (preValidation, after parsing and before the route's guards, pipes and interceptors).
 */
export function registerHttpEdgeChecks(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if ((request.raw.url ?? '').length > MAX_URL_LENGTH) return sendEdgeProblem(request, reply, URL_TOO_LONG);
    return undefined;
  });
  fastify.addHook('preValidation', async (request) => {
    const problem =
      findParameterProblem(request.params) ?? findParameterProblem(request.query) ?? findBodyProblem(request.body);
    if (problem) throw validationProblem([problem]);
  });
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The query parameters each route declares in the OpenAPI document, by `METHOD /route/:param`. */
export function declaredQueryParameters(document: OpenAPIObject): Map<string, Set<string>> {
  const declared = new Map<string, Set<string>>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const names = (operation.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'query' ? [p.name] : []));
      declared.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, new Set(names));
    }
  }
  return declared;
}

/**
 * Refuses a query parameter the route does not declare, as the validation pipe refuses a body
 * property the DTO does not: a misspelt filter would otherwise be ignored and widen the answer.
 */
export function refuseUndeclaredQueryParameters(fastify: FastifyInstance, declared: Map<string, Set<string>>): void {
  fastify.addHook('preValidation', async (request) => {
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const allowed = declared.get(`${method} ${request.routeOptions.url}`);
    if (!allowed || request.query === null || typeof request.query !== 'object') return;
    const unknown = Object.keys(request.query).filter((name) => !allowed.has(name));
    if (unknown.length > 0) {
      throw validationProblem(
        unknown.map((name) => fieldError(name, 'forbidden', 'validation.fields.undeclaredQuery')),
      );
    }
  });
}
