/** HTTP status a domain error maps to; pure domain code knows nothing else about HTTP. */
export type DomainErrorStatus = 400 | 404 | 409 | 422;

/**
 * Base class for errors thrown by pure domain code (no Nest import).
 * `code` is stable (DUPLICATE_SERIAL); the global filter renders it as a problem with
 * type slug derived from the code (duplicate-serial), `code`, `detail` = message, and `details` as extra members.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: DomainErrorStatus = 422,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class DomainNotFoundError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 404, details);
  }
}

export class DomainConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 409, details);
  }
}
