import { HttpException } from '@nestjs/common';
import { defaultSlugFor, defaultTitleFor, problemTypeUri, ProblemFieldError } from './problem-types';

export interface ProblemInit {
  status: number;
  /** Slug (e.g. 'not-found') or a full URI. Defaults from the status. */
  type?: string;
  title?: string;
  detail?: string;
  /** Stable domain code, e.g. DUPLICATE_SERIAL. */
  code?: string;
  errors?: ProblemFieldError[];
  /** Extra members merged into the body (must not clash with the standard ones). */
  extra?: Record<string, unknown>;
  /** Response headers to add (e.g. WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>;
}

/** An HTTP error rendered as an RFC 9457 problem by the global filter. Throw it from controllers/application code. */
export class ProblemException extends HttpException {
  readonly problemStatus: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: ProblemFieldError[];
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(init: ProblemInit) {
    const type = problemTypeUri(init.type ?? defaultSlugFor(init.status));
    const title = init.title ?? defaultTitleFor(init.status);
    super({ type, title, status: init.status, detail: init.detail, code: init.code, errors: init.errors }, init.status);
    this.problemStatus = init.status;
    this.type = type;
    this.title = title;
    this.detail = init.detail;
    this.code = init.code;
    this.errors = init.errors;
    this.extra = init.extra;
    this.headers = init.headers;
    this.message = init.detail ?? title;
  }
}

export const notFoundProblem = (detail = 'The resource was not found.') =>
  new ProblemException({ status: 404, type: 'not-found', detail });

/** How long a client waits before retrying a request about a dealer whose registration this service has not yet received. */
export const DEALER_NOT_YET_KNOWN_RETRY_AFTER_SECONDS = 5;

/**
 * A dealer this service has not heard of yet: its DealerRegistered event may still be on its
 * way, so the client retries after Retry-After rather than correcting the request. `errors`
 * names the fields (`dealerCode`, `rows[3].dealerCode`).
 */
export const dealerNotYetKnownProblem = (errors: ProblemFieldError[], detail?: string) =>
  new ProblemException({
    status: 409,
    type: 'dealer-not-yet-known',
    title: 'Dealer not yet known',
    code: 'DEALER_NOT_YET_KNOWN',
    detail:
      detail ??
      `${errors.length} dealer code(s) are not known to this service yet; a dealer registered moments ago becomes known within seconds, so retry after ${DEALER_NOT_YET_KNOWN_RETRY_AFTER_SECONDS} s.`,
    errors,
    headers: { 'Retry-After': String(DEALER_NOT_YET_KNOWN_RETRY_AFTER_SECONDS) },
  });
