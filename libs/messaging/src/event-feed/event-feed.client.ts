import type { FeedHead, FeedPage } from './event-feed.repository';
import type { EventFeedOptions } from '../messaging.options';

const REQUEST_TIMEOUT_MS = 15_000;

export class FeedSourceMissingError extends Error {
  constructor(readonly producer: string) {
    super(`no event feed URL is configured for ${producer}`);
    this.name = 'FeedSourceMissingError';
  }
}

/** Reads producers' event feeds over HTTP (the consumer's side of gap filling). */
export class EventFeedClient {
  constructor(private readonly options: EventFeedOptions) {}

  hasSource(producer: string): boolean {
    return producer in this.options.sources;
  }

  async page(
    producer: string,
    topic: string,
    partition: number,
    fromSeq: number,
    toSeq: number,
    limit: number,
  ): Promise<FeedPage> {
    const query = new URLSearchParams({ fromSeq: String(fromSeq), toSeq: String(toSeq), limit: String(limit) });
    return this.get<FeedPage>(producer, `/v1/event-feed/${encodeURIComponent(topic)}/partitions/${partition}?${query}`);
  }

  async heads(producer: string, topic: string, settledAfterMs: number): Promise<FeedHead[]> {
    return this.get<FeedHead[]>(
      producer,
      `/v1/event-feed/${encodeURIComponent(topic)}/heads?settledAfterMs=${settledAfterMs}`,
    );
  }

  private async get<T>(producer: string, path: string): Promise<T> {
    const base = this.options.sources[producer];
    if (!base) throw new FeedSourceMissingError(producer);
    const token = this.options.token();
    const response = await fetch(`${base.replace(/\/+$/, '')}${path}`, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new Error(`event feed of ${producer} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return (await response.json()) as T;
  }
}
