import { Logger } from '@nestjs/common';
import { classifyFailure } from '../failure-kind';
import { backoffDelay, errorMessage, sleep } from '../retry';
import { Progress } from './delivery';

/** Retries of an outage (database or network) back off up to this. */
export const TRANSIENT_BACKOFF_CAP_MS = 10_000;

/** Thrown out of a wait when the consumer stops; the batch ends without resolving further offsets. */
export class ConsumerStopping extends Error {
  constructor() {
    super('consumer stopping');
    this.name = 'ConsumerStopping';
  }
}

/**
 * Waiting out an outage without leaving the consumer group: steps are retried while the database
 * is unavailable, and `blocked` says since when and why (shown by /health).
 */
export class OutageWait {
  blocked: { since: string; reason: string } | null = null;

  constructor(
    private readonly initialDelayMs: number,
    private readonly logger: Logger,
  ) {}

  /** Runs a database step until it succeeds, waiting out an outage; other errors propagate. */
  async untilStored<T>(step: () => Promise<T>, progress: Progress): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await step();
        this.blocked = null;
        return result;
      } catch (err) {
        if (classifyFailure(err) !== 'transient') throw err;
        this.blockedBy(err);
        const delay = backoffDelay(attempt, this.initialDelayMs, TRANSIENT_BACKOFF_CAP_MS);
        this.logger.warn(`database unavailable (${errorMessage(err)}); retrying in ${delay} ms`);
        await this.pause(delay, progress);
      }
    }
  }

  /** Records the start of an outage; a later failure of the same outage keeps the first time. */
  blockedBy(err: unknown): void {
    this.blocked ??= { since: new Date().toISOString(), reason: errorMessage(err) };
  }

  /** Waits, heartbeating about every second; gives up when the consumer is stopping. */
  async pause(ms: number, progress: Progress): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      if (!progress.isRunning()) throw new ConsumerStopping();
      const left = end - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, 1000));
      await progress.heartbeat();
    }
  }
}
