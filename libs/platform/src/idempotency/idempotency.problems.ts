import { ProblemException } from '../problem/problem.exception';

/** Seconds a client is told to wait before retrying a key whose request is still running. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

export class InvalidIdempotencyKeyProblem extends ProblemException {
  constructor() {
    super({
      status: 400,
      type: 'invalid-idempotency-key',
      detail: 'Idempotency-Key must be 1-255 visible ASCII characters.',
    });
  }
}

/** A streamed upload leaves nothing to compare a retry against, so a key on it is refused. */
export class IdempotencyKeyUnsupportedProblem extends ProblemException {
  constructor() {
    super({
      status: 400,
      type: 'idempotency-key-unsupported',
      detail: 'Idempotency-Key is not supported on file uploads; send the upload without it.',
      errors: [{ field: 'Idempotency-Key', rule: 'unsupported', message: 'not supported on multipart requests' }],
    });
  }
}

/** Another request with the key holds its lock; the client retries after Retry-After. */
export class IdempotencyKeyInProgressProblem extends ProblemException {
  constructor() {
    super({
      status: 409,
      type: 'idempotency-key-in-progress',
      title: 'Request in progress',
      detail: 'A request with this Idempotency-Key is still being processed; retry it later.',
      headers: { 'Retry-After': String(IN_PROGRESS_RETRY_AFTER_SECONDS) },
    });
  }
}

/** The key's stored answer belongs to another method, path or body. */
export class IdempotencyKeyReusedProblem extends ProblemException {
  constructor() {
    super({
      status: 409,
      type: 'idempotency-key-reused',
      title: 'Idempotency key reused',
      detail: 'This Idempotency-Key was already used with a different request.',
    });
  }
}
