import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { from, lastValueFrom, Observable, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';
import { RequestTransaction } from '../persistence/request-transaction';
import { RequestTransactionDataSource } from '../persistence/request-transaction-data-source';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENT_REPLAYED_HEADER,
  requestHash,
} from './request-hash';
import {
  IdempotencyKeyInProgressProblem,
  IdempotencyKeyReusedProblem,
  IdempotencyKeyUnsupportedProblem,
  InvalidIdempotencyKeyProblem,
} from './idempotency.problems';

interface RequestLike {
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

interface ReplyLike {
  header(name: string, value: string): unknown;
  status(code: number): unknown;
  readonly statusCode: number;
}

export const ANONYMOUS_SUB = '-';

/** Whom a stored answer belongs to: every claim that decides what the principal may do. */
export interface IdempotencyScope {
  sub: string;
  role: string;
  dealer: string;
}

export function idempotencyScopeOf(principal: Principal | undefined): IdempotencyScope {
  return { sub: principal?.sub ?? ANONYMOUS_SUB, role: principal?.role ?? '', dealer: principal?.dealerCode ?? '' };
}

/** The advisory lock held while a request of (scope, key) runs: 64 bits of a SHA-256. */
export function idempotencyLockKey(scope: IdempotencyScope, key: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([scope.sub, scope.role, scope.dealer, key]))
    .digest();
  return digest.readBigInt64BE(0).toString();
}

interface RequestIdentity {
  method: string;
  path: string;
  hash: string;
}

interface StoredAnswer {
  method: string;
  path: string;
  request_hash: string;
  status_code: number;
  response_body: unknown;
  no_body: boolean;
}

/**
 * Global interceptor: a POST with `Idempotency-Key` takes effect at most once per (principal, key).
 *
 * The request runs in one transaction that its database work joins (RequestTransaction): it takes
 * an advisory lock on (principal, key), replays a stored answer if there is one, or runs the
 * handler and stores its answer in the same transaction. Effect and answer commit together or not
 * at all; a retry then replays the answer (same status and body, `Idempotent-Replayed: true`) or
 * runs afresh. The lock is the only "in progress" state: a second request while the first holds
 * it gets 409 idempotency-key-in-progress with Retry-After, and a holder that dies loses it with
 * its connection. The same key with another method, path or body is 409 idempotency-key-reused.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly dataSource: RequestTransactionDataSource;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    if (!(dataSource instanceof RequestTransactionDataSource)) {
      throw new Error('IdempotencyInterceptor needs the RequestTransactionDataSource that PlatformModule creates');
    }
    this.dataSource = dataSource;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<RequestLike>();
    if (req.method !== 'POST') return next.handle();
    const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
    if (raw === undefined) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      return throwError(() => new InvalidIdempotencyKeyProblem());
    }
    // A multipart body is streamed to the handler, so there is nothing to compare a retry
    // against; refuse the key rather than replay an answer for a different file.
    const contentType = req.headers['content-type'];
    if (typeof contentType === 'string' && contentType.toLowerCase().startsWith('multipart/')) {
      return throwError(() => new IdempotencyKeyUnsupportedProblem());
    }
    const reply = context.switchToHttp().getResponse<ReplyLike>();
    const identity: RequestIdentity = { method: req.method, path: req.url.split('?')[0], hash: requestHash(req.body) };
    const handle = () => lastValueFrom(next.handle(), { defaultValue: undefined });
    return from(this.once(idempotencyScopeOf(req.principal), key, identity, reply, handle));
  }

  private async once(
    scope: IdempotencyScope,
    key: string,
    identity: RequestIdentity,
    reply: ReplyLike,
    handle: () => Promise<unknown>,
  ): Promise<unknown> {
    const transaction = await this.dataSource.beginRequestTransaction();
    try {
      const [{ acquired }] = await transaction.query<Array<{ acquired: boolean }>>(
        'SELECT pg_try_advisory_xact_lock($1::bigint) AS acquired',
        [idempotencyLockKey(scope, key)],
      );
      if (!acquired) throw new IdempotencyKeyInProgressProblem();
      const stored = await this.storedAnswer(transaction, scope, key);
      if (stored) {
        if (stored.request_hash !== identity.hash || stored.method !== identity.method || stored.path !== identity.path)
          throw new IdempotencyKeyReusedProblem();
        await transaction.rollback();
        reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        reply.status(stored.status_code);
        return stored.no_body ? undefined : stored.response_body;
      }
      const body = await transaction.run(handle);
      // The status the client gets: @HttpCode, or what the handler set on the reply itself.
      await this.storeAnswer(transaction, scope, key, identity, reply.statusCode, body);
      await transaction.commit();
      return body;
    } catch (err) {
      await transaction.rollback();
      throw err;
    } finally {
      await transaction.release();
    }
  }

  /**
   * The live answer of (scope, key). Answers stored before they were scoped by role and dealer
   * (role '') are their sub's.
   */
  private async storedAnswer(
    transaction: RequestTransaction,
    scope: IdempotencyScope,
    key: string,
  ): Promise<StoredAnswer | undefined> {
    const rows = await transaction.query<StoredAnswer[]>(
      `SELECT method, path, request_hash, status_code, response_body, response_body IS NULL AS no_body
         FROM idempotency_records
        WHERE principal_sub = $1 AND key = $4
          AND ((principal_role = $2 AND principal_dealer = $3) OR (principal_role = '' AND principal_dealer = ''))
          AND created_at > now() - make_interval(hours => $5)
        ORDER BY principal_role DESC
        LIMIT 1`,
      [scope.sub, scope.role, scope.dealer, key, this.config.idempotencyRetentionHours],
    );
    return rows[0];
  }

  /** An expired answer not yet swept is replaced. */
  private async storeAnswer(
    transaction: RequestTransaction,
    scope: IdempotencyScope,
    key: string,
    identity: RequestIdentity,
    status: number,
    body: unknown,
  ): Promise<void> {
    await transaction.query(
      `INSERT INTO idempotency_records
         (principal_sub, principal_role, principal_dealer, key, method, path, request_hash, status_code, response_body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::json)
       ON CONFLICT (principal_sub, principal_role, principal_dealer, key) DO UPDATE
         SET method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
             status_code = EXCLUDED.status_code, response_body = EXCLUDED.response_body, created_at = now()`,
      [
        scope.sub,
        scope.role,
        scope.dealer,
        key,
        identity.method,
        identity.path,
        identity.hash,
        status,
        body === undefined ? null : JSON.stringify(body),
      ],
    );
  }
}
