import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { EventEnvelope } from './envelope';

export type PayloadClass<P> = new (...args: any[]) => P;

/** One versioned event type: its name, version, topic and payload class. */
export interface EventDefinition<P = unknown> {
  readonly type: string;
  readonly version: number;
  readonly topic: string;
  readonly payload: PayloadClass<P>;
}

export function defineEvent<P>(def: {
  type: string;
  version: number;
  topic: string;
  payload: PayloadClass<P>;
}): EventDefinition<P> {
  if (!def.type) throw new Error('defineEvent: type is required');
  if (!Number.isInteger(def.version) || def.version < 1) {
    throw new Error(`defineEvent(${def.type}): version must be an integer >= 1`);
  }
  if (!def.topic) throw new Error(`defineEvent(${def.type}): topic is required`);
  return Object.freeze({ type: def.type, version: def.version, topic: def.topic, payload: def.payload });
}

/** For the events of one topic: defines the first version (1) of an event type, as `defineEvent` does. */
export function firstVersionOn(topic: string): <P>(type: string, payload: PayloadClass<P>) => EventDefinition<P> {
  return (type, payload) => defineEvent({ type, version: 1, topic, payload });
}

const keyOf = (type: string, version: number): string => `${type}@${version}`;

/** Every event type a process knows, by (type, version). */
export class EventRegistry {
  private readonly defs = new Map<string, EventDefinition<any>>();

  register(...defs: EventDefinition<any>[]): this {
    for (const def of defs) {
      const key = keyOf(def.type, def.version);
      const existing = this.defs.get(key);
      if (existing && existing !== def) {
        if (existing.topic !== def.topic || existing.payload !== def.payload) {
          throw new Error(`event ${key} is already registered with another topic or payload class`);
        }
        continue;
      }
      this.defs.set(key, def);
    }
    return this;
  }

  get(type: string, version: number): EventDefinition<any> | undefined {
    return this.defs.get(keyOf(type, version));
  }

  has(type: string, version: number): boolean {
    return this.defs.has(keyOf(type, version));
  }

  all(): EventDefinition<any>[] {
    return [...this.defs.values()];
  }

  /** Distinct topics of the registered definitions, sorted. */
  topicsOf(defs: Iterable<EventDefinition<any>> = this.defs.values()): string[] {
    return [...new Set([...defs].map((d) => d.topic))].sort();
  }
}

/** The process-wide registry that the event files in libs/contracts register into. */
export const eventRegistry = new EventRegistry();

export type EventValidationResult =
  { ok: true; envelope: EventEnvelope<any>; definition: EventDefinition<any> } | { ok: false; reason: string };

const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** "payload.items.0.serial: must be a string; payload.extra: property should not exist" */
export function describeValidationErrors(errors: ValidationError[], prefix = ''): string {
  const parts: string[] = [];
  const walk = (list: ValidationError[], path: string): void => {
    for (const e of list) {
      const p = path ? `${path}.${e.property}` : e.property;
      if (e.constraints) {
        const msgs = Object.values(e.constraints).map((m) => m.replace(new RegExp(`^${escapeRe(e.property)} `), ''));
        parts.push(`${p}: ${msgs.join(', ')}`);
      }
      if (e.children?.length) walk(e.children, p);
    }
  };
  walk(errors, prefix);
  return parts.join('; ');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type EnvelopeValidationResult = { ok: true; envelope: EventEnvelope<unknown> } | { ok: false; reason: string };
export type PayloadValidationResult<P> = { ok: true; payload: P } | { ok: false; reason: string };

/** Validates the envelope only (the payload must be an object; its schema is not checked). */
export function validateEnvelope(raw: unknown): EnvelopeValidationResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: 'invalid envelope: must be a JSON object' };
  }
  const payloadRaw = (raw as { payload?: unknown }).payload;
  const envelope = plainToInstance(EventEnvelope, raw) as EventEnvelope<unknown>;
  // Unknown envelope fields are stripped, not refused: a newer producer may add some.
  const errors = validateSync(envelope, { ...VALIDATION_OPTIONS, forbidNonWhitelisted: false });
  if (errors.length) {
    return { ok: false, reason: `invalid envelope: ${describeValidationErrors(errors)}` };
  }
  envelope.payload = payloadRaw;
  envelope.causationId = envelope.causationId ?? null;
  return { ok: true, envelope };
}

/** Validates a payload against a definition's class (unknown fields refused, nested objects checked). */
export function validatePayload<P>(definition: EventDefinition<P>, raw: unknown): PayloadValidationResult<P> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      reason: `invalid payload of ${definition.type} v${definition.version}: payload: must be an object`,
    };
  }
  const payload = plainToInstance(definition.payload, raw as object) as P;
  const errors = validateSync(payload as object, VALIDATION_OPTIONS);
  if (errors.length) {
    return {
      ok: false,
      reason: `invalid payload of ${definition.type} v${definition.version}: ${describeValidationErrors(errors, 'payload')}`,
    };
  }
  return { ok: true, payload };
}

/**
 * Validates a parsed message: the envelope, then the payload against the class registered
 * for (type, version). The returned envelope's payload is an instance of the payload class.
 */
export function validateEvent(raw: unknown, registry: EventRegistry = eventRegistry): EventValidationResult {
  const env = validateEnvelope(raw);
  if (!env.ok) return env;
  const { envelope } = env;
  const definition = registry.get(envelope.type, envelope.version);
  if (!definition) {
    return { ok: false, reason: `unknown event type ${envelope.type} version ${envelope.version}` };
  }
  const payload = validatePayload(definition, envelope.payload);
  if (!payload.ok) return payload;
  envelope.payload = payload.payload;
  return { ok: true, envelope, definition };
}
