import { fieldError } from '../problem/field-error';
import { problemText, ProblemException } from '../problem/problem.exception';

/** Seconds a client is told to wait before retrying a key whose request is still running. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

export class InvalidIdempotencyKeyProblem extends ProblemException {
  constructor() {
    super({
      status: 400,
      type: 'invalid-idempotency-key',
      detail: problemText('idempotency.invalidKey'),
    });
  }
}

/** A streamed upload leaves nothing to compare a retry against, so a key on it is refused. */
export class IdempotencyKeyUnsupportedProblem extends ProblemException {
  constructor() {
    super({
      status: 400,
      type: 'idempotency-key-unsupported',
      detail: problemText('idempotency.unsupported'),
      errors: [fieldError('Idempotency-Key', 'unsupported', 'validation.fields.idempotencyKeyOnMultipart')],
    });
  }
}

/** Another request with the key holds its lock; the client retries after Retry-After. */
export class IdempotencyKeyInProgressProblem extends ProblemException {
  constructor() {
    super({
      status: 409,
      type: 'idempotency-key-in-progress',
      title: problemText('idempotency.inProgress.title'),
      detail: problemText('idempotency.inProgress.detail'),
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
      title: problemText('idempotency.reused.title'),
      detail: problemText('idempotency.reused.detail'),
    });
  }
}
