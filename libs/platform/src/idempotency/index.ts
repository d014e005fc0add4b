export * from './request-hash';
export { IdempotencyRecord } from './idempotency-record.entity';
export { PlatformIdempotency1735689600001 } from './idempotency.migration';
export { PlatformIdempotencyScope1735689600002 } from './idempotency-scope.migration';
export {
  IdempotencyInterceptor,
  ANONYMOUS_SUB,
  idempotencyLockKey,
  idempotencyScopeOf,
} from './idempotency.interceptor';
export type { IdempotencyScope } from './idempotency.interceptor';
export { IdempotencySweeper, IDEMPOTENCY_SWEEP_INTERVAL_MS } from './idempotency-sweeper';
export {
  IdempotencyKeyInProgressProblem,
  IdempotencyKeyReusedProblem,
  IdempotencyKeyUnsupportedProblem,
  IN_PROGRESS_RETRY_AFTER_SECONDS,
  InvalidIdempotencyKeyProblem,
} from './idempotency.problems';
