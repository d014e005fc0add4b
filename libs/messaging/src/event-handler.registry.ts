import { EventDefinition, EventEnvelope, eventRegistry } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type EventHandler<P = unknown> = (envelope: EventEnvelope<P>, em: EntityManager) => Promise<void>;

export interface RegisteredHandlers {
  definition: EventDefinition<any>;
  handlers: EventHandler<any>[];
}

/** Handlers the apps register (in onModuleInit), by event type and version. */
@Injectable()
export class EventHandlerRegistry {
  private readonly byKey = new Map<string, RegisteredHandlers>();
  private frozen = false;

  register<P>(definition: EventDefinition<P>, handler: EventHandler<P>): void {
    if (this.frozen) {
      throw new Error(
        `handler for ${definition.type} v${definition.version} registered after the consumer started; register in onModuleInit`,
      );
    }
    eventRegistry.register(definition);
    const key = `${definition.type}@${definition.version}`;
    const entry = this.byKey.get(key);
    if (entry && entry.definition !== definition && entry.definition.payload !== definition.payload) {
      throw new Error(`conflicting definitions registered for ${key}`);
    }
    if (entry) entry.handlers.push(handler as EventHandler<any>);
    else this.byKey.set(key, { definition, handlers: [handler as EventHandler<any>] });
  }

  /** Handlers of a type/version, run in registration order in one transaction. */
  lookup(type: string, version: number): RegisteredHandlers | undefined {
    return this.byKey.get(`${type}@${version}`);
  }

  isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  topics(): string[] {
    return [...new Set([...this.byKey.values()].map((e) => e.definition.topic))].sort();
  }

  freeze(): void {
    this.frozen = true;
  }
}
