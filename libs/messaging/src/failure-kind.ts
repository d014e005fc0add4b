import { isDatabaseUnavailable } from '@app/platform';

/**
 * How a consumer treats a handler's failure:
 * - `transient`: the database is away (what answers 503 to a request); the same event will succeed
 *   later, so it is retried until it does (never dead-lettered for an outage);
 * - `poison`: the event itself cannot be stored (data or constraint errors); retrying cannot
 *   help, so it is dead-lettered at once instead of holding up its partition;
 * - `unknown`: anything else; a few retries, then dead-lettered.
 * A statement timeout is not an outage here: a handler that is too slow for an event would be
 * retried for ever.
 */
export type FailureKind = 'transient' | 'poison' | 'unknown';

const POISON_SQLSTATE_CLASSES = new Set(['22', '23']);

/** The SQLSTATE of a node-postgres error, also when TypeORM wraps it (QueryFailedError.driverError). */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function classifyFailure(err: unknown): FailureKind {
  const state = sqlState(err);
  if (state === '57014') return 'unknown';
  if (isDatabaseUnavailable(err)) return 'transient';
  if (state && POISON_SQLSTATE_CLASSES.has(state.slice(0, 2))) return 'poison';
  return 'unknown';
}
