import { problemText, ProblemException } from '@app/platform';

/** Seconds an operator waits before replaying again from a producer that could not be read. */
const EVENT_FEED_RETRY_AFTER_SECONDS = 5;

/** An operator's replay could not read the producer's event feed; nothing was replayed. */
export class EventFeedUnavailableProblem extends ProblemException {
  constructor(producer: string, cause: unknown) {
    super({
      status: 503,
      type: 'event-feed-unavailable',
      detail: problemText('eventFeedUnavailable', {
        producer,
        cause: cause instanceof Error ? cause.message : String(cause),
      }),
      headers: { 'Retry-After': String(EVENT_FEED_RETRY_AFTER_SECONDS) },
    });
  }
}
