import { HttpException } from '@nestjs/common';
import { english, MessageArgs, MessageRef } from '../i18n/catalogue';
import { defaultSlugFor, problemTypeUri, ProblemFieldError, statusTitleRef } from './problem-types';

/** Human text of a problem: a catalogue key with its arguments (translated), or literal text (shown as is). */
export type ProblemText = string | MessageRef;

export interface ProblemInit {
  status: number;
  /** Slug (e.g. 'not-found') or a full URI. Defaults from the status. */
  type?: string;
  title?: ProblemText;
  detail?: ProblemText;
  /** Stable domain code, e.g. DUPLICATE_SERIAL. */
  code?: string;
  errors?: ProblemFieldError[];
  /** Extra members merged into the body (must not clash with the standard ones). */
  extra?: Record<string, unknown>;
  /** Response headers to add (e.g. WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>;
}

export const asRef = (text: ProblemText): MessageRef | undefined => (typeof text === 'string' ? undefined : text);
export const englishOf = (text: ProblemText): string =>
  typeof text === 'string' ? text : english(text.key, text.args);

/** A message of the problems catalogue: `problem('dealerExists', { code })` → problems.dealerExists. */
export const problemText = (name: string, args?: MessageArgs): MessageRef => ({ key: `problems.${name}`, args });

/**
 * An HTTP error rendered as an RFC 9457 problem by the global filter. Throw it from controllers/application code.
 * `title` and `detail` hold the English text; `titleRef`/`detailRef` the keys the filter translates them from.
 */
export class ProblemException extends HttpException {
  readonly problemStatus: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly titleRef?: MessageRef;
  readonly detailRef?: MessageRef;
  readonly code?: string;
  readonly errors?: ProblemFieldError[];
  readonly extra?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(init: ProblemInit) {
    const type = problemTypeUri(init.type ?? defaultSlugFor(init.status));
    const titleText = init.title ?? statusTitleRef(init.status);
    const title = englishOf(titleText);
    const detail = init.detail === undefined ? undefined : englishOf(init.detail);
    super({ type, title, status: init.status, detail, code: init.code, errors: init.errors }, init.status);
    this.problemStatus = init.status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.titleRef = asRef(titleText);
    this.detailRef = init.detail === undefined ? undefined : asRef(init.detail);
    this.code = init.code;
    this.errors = init.errors;
    this.extra = init.extra;
    this.headers = init.headers;
    this.message = detail ?? title;
  }
}

export const notFoundProblem = (detail: ProblemText = problemText('notFound')) =>
  new ProblemException({ status: 404, type: 'not-found', detail });

/** How long a client waits before retrying a request about a dealer whose registration this service has not yet received. */
export const DEALER_NOT_YET_KNOWN_RETRY_AFTER_SECONDS = 5;

/**
 * A dealer this service has not heard of yet: its DealerRegistered event may still be on its
 * way, so the client retries after Retry-After rather than correcting the request. `errors`
 * names the fields (`dealerCode`, `rows[3].dealerCode`).
 */
export const dealerNotYetKnownProblem = (errors: ProblemFieldError[], detail?: ProblemText) =>
  new ProblemException({
    status: 409,
    type: 'dealer-not-yet-known',
    title: problemText('dealerNotYetKnown.title'),
    code: 'DEALER_NOT_YET_KNOWN',
    detail:
      detail ??
      problemText('dealerNotYetKnown.detail', {
        count: errors.length,
        seconds: DEALER_NOT_YET_KNOWN_RETRY_AFTER_SECONDS,
      }),
    errors,
    headers: { 'Retry-After': String(DEALER_NOT_YET_KNOWN_RETRY_AFTER_SECONDS) },
  });
