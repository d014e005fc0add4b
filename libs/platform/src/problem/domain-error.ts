import { english, MessageRef } from '../i18n/catalogue';

/** HTTP status a domain error maps to; pure domain code knows nothing else about HTTP. */
export type DomainErrorStatus = 400 | 404 | 409 | 422;

/**
 * Base class for errors thrown by pure domain code (no Nest import).
 * `code` is stable (DUPLICATE_SERIAL); the global filter renders it as a problem with
 * type slug derived from the code (duplicate-serial), `code`, `detail` = message, and `details` as extra members.
 * A message given as a catalogue key is English in `message` and translated by the filter (`messageRef`).
 */
export class DomainError extends Error {
  readonly messageRef?: MessageRef;

  constructor(
    readonly code: string,
    message: string | MessageRef,
    readonly status: DomainErrorStatus = 422,
    readonly details?: Record<string, unknown>,
  ) {
    super(typeof message === 'string' ? message : english(message.key, message.args));
    this.name = new.target.name;
    if (typeof message !== 'string') this.messageRef = message;
  }
}

export class DomainNotFoundError extends DomainError {
  constructor(code: string, message: string | MessageRef, details?: Record<string, unknown>) {
    super(code, message, 404, details);
  }
}

export class DomainConflictError extends DomainError {
  constructor(code: string, message: string | MessageRef, details?: Record<string, unknown>) {
    super(code, message, 409, details);
  }
}
