/** A query on a connection that had already failed (the server or the network dropped it). */
export class DatabaseConnectionLostError extends Error {
  constructor(cause: unknown) {
    super(`The database connection was lost: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseConnectionLostError';
  }
}

/** A prepared statement whose tables changed shape under it (a migration ran meanwhile); a retry prepares it afresh. */
export class StalePreparedStatementError extends Error {
  constructor(cause: unknown) {
    super(`A prepared statement is stale: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StalePreparedStatementError';
  }
}

/**
 * SQLSTATEs that say the database cannot serve the request now, though it may shortly: connection
 * exceptions (08), insufficient resources (53: too many connections, out of memory, disk full),
 * operator intervention (57P01-57P05: shutdown, crash, starting up, dropped, idle timeout),
 * a statement timeout or cancel (57014), a serialization failure or deadlock the code did not
 * retry (40001, 40P01), and a lock not available (55P03).
 */
const TRANSIENT_SQLSTATE = /^(08...|53...|57P0[1-5]|57014|40001|40P01|55P03)$/;

/** Socket errors of a connection to the server. */
const NETWORK_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres and pg-pool errors that carry no code. */
const DRIVER_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end on the pool|Query read timeout)/;

interface ErrorFields {
  code?: unknown;
  severity?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Whether `err` means the database is unreachable, overloaded or shutting down, or gave up on the
 * statement for a reason a later retry may not meet: the request did nothing and may be sent again.
 * Looks through TypeORM's QueryFailedError (driverError), `cause` and AggregateError (`errors`).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  if (err instanceof DatabaseConnectionLostError || err instanceof StalePreparedStatementError) return true;
  const e = err as ErrorFields;
  if (typeof e.code === 'string' && (TRANSIENT_SQLSTATE.test(e.code) || NETWORK_ERRNO.has(e.code))) return true;
  // The server ends the session after a FATAL error (e.g. "database is not accepting connections").
  if (e.severity === 'FATAL' || e.severity === 'PANIC') return true;
  if (typeof e.message === 'string' && DRIVER_MESSAGE.test(e.message)) return true;
  if (isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
