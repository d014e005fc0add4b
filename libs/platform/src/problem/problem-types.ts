import { english, MessageRef } from '../i18n/catalogue';

/**
 * Problem `type` URIs are absolute: `https://errors.after-sales.example/<slug>`.
 * Slugs are stable and kebab-case; clients should switch on `type` (or `code` for domain errors).
 */
export const PROBLEM_TYPE_BASE = 'https://errors.after-sales.example/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemTypeUri(slug: string): string {
  return /^[a-z]+:\/\//i.test(slug) ? slug : PROBLEM_TYPE_BASE + slug;
}

export interface ProblemFieldError {
  field: string;
  rule: string;
  message: string;
}

/** The RFC 9457 body every error response carries. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  correlationId?: string;
  code?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** The slug of each status's default type; its title is `problems.status.<status>` in the catalogues. */
const SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  410: 'gone',
  411: 'length-required',
  412: 'precondition-failed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  429: 'too-many-requests',
  500: 'internal',
  501: 'not-implemented',
  502: 'bad-gateway',
  503: 'service-unavailable',
  504: 'gateway-timeout',
};

export function defaultSlugFor(status: number): string {
  return SLUGS[status] ?? (status >= 500 ? 'internal' : 'bad-request');
}

/** The catalogue key of a status's default title (a status without one reads as 500 or 400). */
export function statusTitleRef(status: number): MessageRef {
  return { key: `problems.status.${SLUGS[status] ? status : status >= 500 ? 500 : 400}` };
}

export function defaultTitleFor(status: number): string {
  return english(statusTitleRef(status).key);
}

/** DUPLICATE_SERIAL → duplicate-serial */
export function codeToSlug(code: string): string {
  return code
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
