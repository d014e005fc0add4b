import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, Optional } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { ClsServiceManager } from 'nestjs-cls';
import { CLS_CORRELATION_ID } from '../context/context.constants';
import { I18nService } from 'nestjs-i18n';
import { english, MessageRef } from '../i18n/catalogue';
import { preferredLanguage } from '../i18n/language';
import { isDatabaseUnavailable } from '../persistence/database-errors';
import { DomainError } from './domain-error';
import { localizeProblem, ProblemTexts, Translator } from './localize-problem';
import { problemText, ProblemException } from './problem.exception';
import {
  codeToSlug,
  defaultSlugFor,
  defaultTitleFor,
  PROBLEM_CONTENT_TYPE,
  ProblemDetails,
  problemTypeUri,
  statusTitleRef,
} from './problem-types';

const MALFORMED_BODY_MESSAGES = new Set([
  new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY().message,
  new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY().message,
]);

/** The multipart parser's plain errors: the body ended before its closing boundary, or its boundary is unusable. */
const MALFORMED_MULTIPART = [
  /^Unexpected end of multipart data$/,
  / terminated early due to unexpected end of multipart data$/,
  /^Multipart: Boundary not found$/,
  /^Boundary required$/,
  /^The needle cannot (be an empty String\/Buffer|have a length bigger than 256)\.$/,
];

type ProblemBody = { type: string; title: string; status: number; [extension: string]: unknown };

interface RenderedProblem {
  body: ProblemBody;
  /** The keys the body's title and detail were written from, for answers in another language. */
  texts?: ProblemTexts;
  headers?: Record<string, string>;
  unexpected?: boolean;
  /** The database could not serve the request (logged as a warning, not as a defect). */
  databaseUnavailable?: boolean;
}

/** Seconds a client is told to wait before retrying when the database could not serve it. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

interface StatusCarrier {
  statusCode?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
}

/** A problem of the status's default title; a detail given by key is written in English and translated on the way out. */
function fromStatus(status: number, detail?: string | MessageRef, slug?: string): RenderedProblem {
  const detailRef = typeof detail === 'object' ? detail : undefined;
  const detailText = typeof detail === 'object' ? english(detail.key, detail.args) : detail;
  return {
    body: {
      type: problemTypeUri(slug ?? defaultSlugFor(status)),
      title: defaultTitleFor(status),
      status,
      ...(detailText ? { detail: detailText } : {}),
    },
    texts: { title: statusTitleRef(status), detail: detailRef },
  };
}

const MALFORMED_JSON_DETAIL = problemText('malformedJson');
const TOO_LARGE_DETAIL = problemText('bodyTooLarge');

/** Maps anything thrown to an RFC 9457 body. Pure apart from reading fastify's error messages; exported for tests. */
export function toProblem(exception: unknown): RenderedProblem {
  if (exception instanceof ProblemException) return fromProblemException(exception);
  if (exception instanceof DomainError) return fromDomainError(exception);
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (isDatabaseUnavailable(exception)) {
    return {
      ...fromStatus(503, problemText('databaseUnavailable'), 'database-unavailable'),
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
      databaseUnavailable: true,
    };
  }
  const fromFastify = fromClientErrorCarrier(exception);
  if (fromFastify) return fromFastify;
  if (exception instanceof Error && MALFORMED_MULTIPART.some((pattern) => pattern.test(exception.message))) {
    return fromStatus(400, problemText('malformedMultipart'), 'malformed-body');
  }
  return { ...fromStatus(500, problemText('unexpected'), 'internal'), unexpected: true };
}

function fromProblemException(exception: ProblemException): RenderedProblem {
  return {
    body: {
      ...(exception.extra ?? {}),
      type: exception.type,
      title: exception.title,
      status: exception.problemStatus,
      ...(exception.detail !== undefined ? { detail: exception.detail } : {}),
      ...(exception.code !== undefined ? { code: exception.code } : {}),
      ...(exception.errors !== undefined ? { errors: exception.errors } : {}),
    },
    headers: exception.headers,
    texts: { title: exception.titleRef, detail: exception.detailRef },
  };
}

function fromDomainError(exception: DomainError): RenderedProblem {
  return {
    body: {
      ...(exception.details ?? {}),
      type: problemTypeUri(codeToSlug(exception.code)),
      title: defaultTitleFor(exception.status),
      status: exception.status,
      detail: exception.message,
      code: exception.code,
    },
    texts: { title: statusTitleRef(exception.status), detail: exception.messageRef },
  };
}

function fromHttpException(exception: HttpException): RenderedProblem {
  const status = exception.getStatus();
  if (status >= 500) return { ...fromStatus(status), unexpected: status === 500 };
  if (status === 400 && MALFORMED_BODY_MESSAGES.has(exception.message)) {
    return fromStatus(400, MALFORMED_JSON_DETAIL, 'malformed-body');
  }
  if (status === 413) return fromStatus(413, TOO_LARGE_DETAIL);
  return fromStatus(status, httpExceptionDetail(exception));
}

/** Errors with a 4xx statusCode raised by fastify or its plugins (multipart limits, parsers); undefined for others. */
function fromClientErrorCarrier(exception: unknown): RenderedProblem | undefined {
  const carrier = (exception ?? {}) as StatusCarrier;
  const statusCode = typeof carrier.statusCode === 'number' ? carrier.statusCode : undefined;
  if (!statusCode || statusCode < 400 || statusCode >= 500 || !(exception instanceof Error)) return undefined;
  const isFastify =
    carrier.name === 'FastifyError' || (typeof carrier.code === 'string' && carrier.code.startsWith('FST_'));
  if (exception instanceof SyntaxError) return fromStatus(400, MALFORMED_JSON_DETAIL, 'malformed-body');
  if (isFastify) return fromStatus(statusCode, statusCode === 413 ? TOO_LARGE_DETAIL : exception.message);
  return undefined;
}

function databaseErrorSummary(exception: unknown): { message: string; code?: string } {
  const e = (exception ?? {}) as { message?: unknown; code?: unknown; driverError?: { code?: unknown } };
  const code =
    typeof e.code === 'string' ? e.code : typeof e.driverError?.code === 'string' ? e.driverError.code : undefined;
  return { message: typeof e.message === 'string' ? e.message : String(exception), ...(code ? { code } : {}) };
}

function httpExceptionDetail(exception: HttpException): string | undefined {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (response && typeof response === 'object') {
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
  }
  return exception.message;
}

interface ReplyLike {
  status?(code: number): ReplyLike;
  code?(code: number): ReplyLike;
  header?(name: string, value: string): ReplyLike;
  send?(body: unknown): unknown;
  sent?: boolean;
  raw?: { headersSent?: boolean };
  statusCode?: number;
  setHeader?(name: string, value: string): void;
  end?(body: string): void;
  headersSent?: boolean;
}

/** The one global filter (APP_FILTER): everything leaves as application/problem+json, nothing internal leaks. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');

  constructor(@Optional() private readonly i18n?: I18nService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<{
      url?: string;
      originalUrl?: string;
      method?: string;
      headers?: Record<string, string | string[] | undefined>;
    }>();
    const reply = http.getResponse<ReplyLike>();
    const rendered = toProblem(exception);
    const language = preferredLanguage(request?.headers?.['accept-language']);
    const translate: Translator | undefined = this.i18n
      ? (lang, ref) => this.i18n!.translate(ref.key, { lang, args: ref.args }) as string
      : undefined;
    const cls = ClsServiceManager.getClsService();
    const correlationId = cls.isActive() ? cls.get<string>(CLS_CORRELATION_ID) : undefined;
    const instance = (request?.url ?? request?.originalUrl ?? '').split('?')[0] || '/';
    const localized = localizeProblem(rendered.body, rendered.texts, language, translate);
    const body: ProblemDetails = { ...localized, instance, ...(correlationId ? { correlationId } : {}) };

    if (rendered.databaseUnavailable) {
      const { message, code } = databaseErrorSummary(exception);
      this.logger.warn(
        { correlationId, method: request?.method, instance, code, reason: message },
        `Database unavailable: ${message}`,
      );
    }
    if (rendered.unexpected) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        { err, correlationId, method: request?.method, instance },
        `Unhandled error: ${err.message}`,
        err.stack,
      );
    }
    sendProblem(reply, body, rendered.headers);
  }
}

function sendProblem(reply: ReplyLike, body: ProblemDetails, headers?: Record<string, string>): void {
  if (reply.sent || reply.raw?.headersSent || reply.headersSent) return;
  if (typeof reply.send === 'function' && typeof reply.header === 'function') {
    (reply.code ?? reply.status)!.call(reply, body.status);
    for (const [name, value] of Object.entries(headers ?? {})) reply.header(name, value);
    reply.header('content-type', PROBLEM_CONTENT_TYPE);
    reply.send(JSON.stringify(body));
    return;
  }
  // Raw Node response (middleware-level failures).
  reply.statusCode = body.status;
  for (const [name, value] of Object.entries(headers ?? {})) reply.setHeader?.(name, value);
  reply.setHeader?.('content-type', PROBLEM_CONTENT_TYPE);
  reply.end?.(JSON.stringify(body));
}
