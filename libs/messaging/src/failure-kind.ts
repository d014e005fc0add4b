/**
 * How a consumer treats a handler's failure:
 * - `transient`: the database or the network is away; the same event will succeed later, so it
 *   is retried until it does (never dead-lettered for an outage);
 * - `poison`: the event itself cannot be stored (data or constraint errors); retrying cannot
 *   help, so it is dead-lettered at once instead of holding up its partition;
 * - `unknown`: anything else; a few retries, then dead-lettered.
 */
export type FailureKind = 'transient' | 'poison' | 'unknown';

const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '53400']);
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53']);
const POISON_SQLSTATE_CLASSES = new Set(['22', '23']);
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection error',
  'timeout exceeded when trying to connect',
  'Connection refused',
  'the database system is',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end',
];
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** The SQLSTATE of a node-postgres error, also when TypeORM wraps it (QueryFailedError.driverError). */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function classifyFailure(err: unknown): FailureKind {
  const state = sqlState(err);
  if (state) {
    if (TRANSIENT_SQLSTATES.has(state) || TRANSIENT_SQLSTATE_CLASSES.has(state.slice(0, 2))) return 'transient';
    if (POISON_SQLSTATE_CLASSES.has(state.slice(0, 2))) return 'poison';
    return 'unknown';
  }
  const errno = (err as { code?: unknown } | null)?.code;
  if (typeof errno === 'string' && TRANSIENT_ERRNO.has(errno)) return 'transient';
  const message = err instanceof Error ? err.message : String(err);
  if (TRANSIENT_MESSAGES.some((m) => message.includes(m))) return 'transient';
  return 'unknown';
}
