import { backoffDelay, retryDelays, withRetries } from './retry';

describe('retry schedule', () => {
  it('default handler policy: 5 tries, 4 waits doubling from 200 ms', () => {
    expect(retryDelays({ attempts: 5, initialDelayMs: 200 })).toEqual([200, 400, 800, 1600]);
    expect(retryDelays({ attempts: 1, initialDelayMs: 200 })).toEqual([]);
    expect(retryDelays({ attempts: 4, initialDelayMs: 1000 }, 2500)).toEqual([1000, 2000, 2500]);
  });

  it('relay backoff is exponential and capped', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => backoffDelay(n, 100, 5000))).toEqual([
      0, 100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('withRetries stops at the first success', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      { attempts: 5, initialDelayMs: 10 },
      async (attempt) => {
        calls++;
        if (attempt < 3) throw new Error(`boom ${attempt}`);
        return 'done';
      },
      { wait: async (ms) => void waits.push(ms) },
    );
    expect(result).toEqual({ ok: true, value: 'done', attempts: 3 });
    expect(calls).toBe(3);
    expect(waits).toEqual([10, 20]);
  });

  it('withRetries gives up after the budget and returns the last error', async () => {
    const beforeRetry = jest.fn();
    const result = await withRetries(
      { attempts: 3, initialDelayMs: 5 },
      async (attempt) => {
        throw new Error(`boom ${attempt}`);
      },
      { wait: async () => undefined, beforeRetry },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && (result.error as Error).message).toBe('boom 3');
    expect(result.attempts).toBe(3);
    expect(beforeRetry).toHaveBeenCalledTimes(2);
  });
});
