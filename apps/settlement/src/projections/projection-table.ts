import type { EntityManager } from 'typeorm';
import type { EventDefinition, EventEnvelope } from '@app/contracts';
import type { MessagingService } from '@app/messaging';
import type { ConsumedEventsRepository } from './consumed-events.repository';

/** A named handler of one event type, applied in the consumer's transaction. */
export interface ProjectionHandler<P = any> {
  definition: EventDefinition<P>;
  apply: (event: EventEnvelope<P>, em: EntityManager) => Promise<void>;
}

export function on<P>(
  definition: EventDefinition<P>,
  apply: (event: EventEnvelope<P>, em: EntityManager) => Promise<void>,
): ProjectionHandler<P> {
  return { definition, apply };
}

/** An event settlement only journals (the shared dealer directory projects it). */
export const journalOnly = async (): Promise<void> => undefined;

/**
 * Registers a projection's table of handlers; every event is first recorded in consumed_events
 * (the auditors' journal, idempotent on eventId), then applied by its handler.
 */
export function registerProjection(
  messaging: MessagingService,
  consumed: ConsumedEventsRepository,
  handlers: ReadonlyArray<ProjectionHandler>,
): void {
  for (const { definition, apply } of handlers) {
    messaging.handle(definition, async (event, em) => {
      await consumed.record(em, event);
      await apply(event, em);
    });
  }
}
