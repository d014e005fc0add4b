import { CallHandler, ExecutionContext, HttpStatus, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ProblemException } from '../problem/problem.exception';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENT_REPLAYED_HEADER,
  requestHash,
} from './canonical-json';

interface RequestLike {
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  routeOptions?: { url?: string };
}

interface ReplyLike {
  header(name: string, value: string): unknown;
  status(code: number): unknown;
}

export const ANONYMOUS_SUB = '-';

/**
 * Global interceptor: a POST with `Idempotency-Key` is executed at most once per (principal, key).
 * Same body → stored status and body replayed (Idempotent-Replayed: true); other body → 409
 * idempotency-key-reused; still running → 409 idempotency-key-in-progress; handler failure → the
 * reservation is removed so the client may retry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('IdempotencyInterceptor');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<RequestLike>();
    if (req.method !== 'POST') return next.handle();
    const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
    if (raw === undefined) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      return throwError(
        () =>
          new ProblemException({
            status: 400,
            type: 'invalid-idempotency-key',
            detail: 'Idempotency-Key must be 1-255 visible ASCII characters.',
          }),
      );
    }
    // A multipart body is streamed to the handler, so there is nothing to compare a retry
    // against; refuse the key rather than replay an answer for a different file.
    const contentType = req.headers['content-type'];
    if (typeof contentType === 'string' && contentType.toLowerCase().startsWith('multipart/')) {
      return throwError(
        () =>
          new ProblemException({
            status: 400,
            type: 'idempotency-key-unsupported',
            detail: 'Idempotency-Key is not supported on file uploads; send the upload without it.',
            errors: [{ field: 'Idempotency-Key', rule: 'unsupported', message: 'not supported on multipart requests' }],
          }),
      );
    }
    const reply = context.switchToHttp().getResponse<ReplyLike>();
    const sub = req.principal?.sub ?? ANONYMOUS_SUB;
    const path = req.url.split('?')[0];
    const hash = requestHash(req.body);
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;

    return from(this.reserve(sub, key, req.method, path, hash)).pipe(
      mergeMap((existing) => {
        if (existing) {
          reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
          if (existing.statusCode) reply.status(existing.statusCode);
          return of(existing.body);
        }
        return next.handle().pipe(
          mergeMap((body) => from(this.complete(sub, key, successStatus, body).then(() => body))),
          catchError((err: unknown) => from(this.release(sub, key)).pipe(mergeMap(() => throwError(() => err)))),
        );
      }),
    );
  }

  /** Inserts the IN_PROGRESS row; returns the stored answer when this is a replay, throws 409 on conflicts. */
  private async reserve(
    sub: string,
    key: string,
    method: string,
    path: string,
    hash: string,
  ): Promise<{ statusCode: number | null; body: unknown } | undefined> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_records (principal_sub, key, method, path, request_hash, state)
       VALUES ($1, $2, $3, $4, $5, 'IN_PROGRESS')
       ON CONFLICT (principal_sub, key) DO NOTHING
       RETURNING key`,
      [sub, key, method, path, hash],
    );
    if (inserted.length > 0) return undefined;
    const rows: Array<{ method: string; path: string; request_hash: string; state: string; status_code: number | null; response_body: unknown }> =
      await this.dataSource.query(
        `SELECT method, path, request_hash, state, status_code, response_body
           FROM idempotency_records WHERE principal_sub = $1 AND key = $2`,
        [sub, key],
      );
    const row = rows[0];
    if (!row) {
      // Released between our insert attempt and read: let the client retry.
      throw new ProblemException({ status: 409, type: 'idempotency-key-in-progress', detail: 'Retry the request.' });
    }
    if (row.request_hash !== hash || row.method !== method || row.path !== path) {
      throw new ProblemException({
        status: 409,
        type: 'idempotency-key-reused',
        title: 'Idempotency key reused',
        detail: 'This Idempotency-Key was already used with a different request.',
      });
    }
    if (row.state !== 'DONE') {
      throw new ProblemException({
        status: 409,
        type: 'idempotency-key-in-progress',
        title: 'Request in progress',
        detail: 'A request with this Idempotency-Key is still being processed.',
      });
    }
    return { statusCode: row.status_code, body: row.response_body ?? undefined };
  }

  private async complete(sub: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_records SET state = 'DONE', status_code = $3, response_body = $4::jsonb
        WHERE principal_sub = $1 AND key = $2`,
      [sub, key, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  private async release(sub: string, key: string): Promise<void> {
    try {
      await this.dataSource.query(`DELETE FROM idempotency_records WHERE principal_sub = $1 AND key = $2`, [sub, key]);
    } catch (err) {
      this.logger.warn({ err }, 'Could not release idempotency reservation');
    }
  }
}
