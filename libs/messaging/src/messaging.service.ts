import { EventDefinition } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { EventHandler, EventHandlerRegistry } from './event-handler.registry';

/** What apps use to subscribe: call `handle` in onModuleInit. */
@Injectable()
export class MessagingService {
  constructor(private readonly registry: EventHandlerRegistry) {}

  /**
   * Runs `handler` for every valid event of this type and version, once per eventId, in the
   * transaction that records it in the inbox (use `em` for every write).
   */
  handle<P>(definition: EventDefinition<P>, handler: EventHandler<P>): void {
    this.registry.register(definition, handler);
  }
}
