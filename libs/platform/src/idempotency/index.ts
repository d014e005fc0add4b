export * from './canonical-json';
export { IdempotencyRecord } from './idempotency-record.entity';
export type { IdempotencyState } from './idempotency-record.entity';
export { PlatformIdempotency1735689600001 } from './idempotency.migration';
export { IdempotencyInterceptor, ANONYMOUS_SUB } from './idempotency.interceptor';
