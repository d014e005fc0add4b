import { RetryPolicy } from './messaging.options';

/** Delays (ms) between the tries of a policy: attempts - 1 delays, doubling from initialDelayMs. */
export function retryDelays(policy: RetryPolicy, capMs = Number.POSITIVE_INFINITY): number[] {
  return Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) =>
    Math.min(capMs, policy.initialDelayMs * 2 ** i),
  );
}

/** Exponential backoff after `failures` consecutive failures (1-based), capped. */
export function backoffDelay(failures: number, initialMs: number, capMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(capMs, initialMs * 2 ** Math.min(failures - 1, 30));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/**
 * Runs `fn` until it succeeds or the policy's tries are used up; between tries waits per
 * retryDelays and calls `beforeRetry` (e.g. a Kafka heartbeat). Returns the last error.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  fn: (attempt: number) => Promise<T>,
  hooks: {
    beforeRetry?: (attempt: number, err: unknown, delayMs: number) => Promise<void> | void;
    wait?: (ms: number) => Promise<void>;
  } = {},
): Promise<{ ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number }> {
  const delays = retryDelays(policy);
  const wait = hooks.wait ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await fn(attempt), attempts: attempt };
    } catch (err) {
      if (attempt >= policy.attempts) return { ok: false, error: err, attempts: attempt };
      const delay = delays[attempt - 1];
      await hooks.beforeRetry?.(attempt, err, delay);
      await wait(delay);
    }
  }
}
