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

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad Request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not Found'],
  405: ['method-not-allowed', 'Method Not Allowed'],
  406: ['not-acceptable', 'Not Acceptable'],
  408: ['request-timeout', 'Request Timeout'],
  409: ['conflict', 'Conflict'],
  410: ['gone', 'Gone'],
  411: ['length-required', 'Length Required'],
  412: ['precondition-failed', 'Precondition Failed'],
  413: ['payload-too-large', 'Payload Too Large'],
  414: ['uri-too-long', 'URI Too Long'],
  415: ['unsupported-media-type', 'Unsupported Media Type'],
  422: ['unprocessable-content', 'Unprocessable Content'],
  429: ['too-many-requests', 'Too Many Requests'],
  500: ['internal', 'Internal Server Error'],
  501: ['not-implemented', 'Not Implemented'],
  502: ['bad-gateway', 'Bad Gateway'],
  503: ['service-unavailable', 'Service Unavailable'],
  504: ['gateway-timeout', 'Gateway Timeout'],
};

export function defaultSlugFor(status: number): string {
  return TITLES[status]?.[0] ?? (status >= 500 ? 'internal' : 'bad-request');
}

export function defaultTitleFor(status: number): string {
  return TITLES[status]?.[1] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

/** DUPLICATE_SERIAL → duplicate-serial */
export function codeToSlug(code: string): string {
  return code
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
