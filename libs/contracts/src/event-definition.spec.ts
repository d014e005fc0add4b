import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { defineEvent, EventRegistry, validateEnvelope, validateEvent } from './event-definition';
import { AgreementVersionSet, DealerRegistered, WarrantyCardsAccepted } from './events';
import { deadLetterTopic, producerOfTopic, Topics } from './topics';

class Line {
  @IsString() serial!: string;
  @IsInt() @Min(1) quantity!: number;
}
class OrderPlaced {
  @IsString() orderNo!: string;
  @ValidateNested({ each: true }) @Type(() => Line) @ArrayMinSize(1) lines!: Line[];
}

const OrderPlacedV1 = defineEvent({
  type: 'test.order-placed',
  version: 1,
  topic: Topics.dealers,
  payload: OrderPlaced,
});

function envelope(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    type: 'test.order-placed',
    version: 1,
    occurredAt: new Date().toISOString(),
    producer: 'dealers',
    dealerCode: 'D001',
    correlationId: 'corr-1',
    causationId: null,
    payload: { orderNo: 'O-1', lines: [{ serial: 'S1', quantity: 2 }] },
    ...overrides,
  };
}

describe('event contracts', () => {
  const registry = new EventRegistry().register(OrderPlacedV1);

  it('accepts a valid event and returns the payload as an instance of its class', () => {
    const result = validateEvent(envelope(), registry);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition).toBe(OrderPlacedV1);
    expect(result.envelope.payload).toBeInstanceOf(OrderPlaced);
    expect(result.envelope.payload.lines[0]).toBeInstanceOf(Line);
    expect(result.envelope.causationId).toBeNull();
  });

  it('accepts a missing causationId and treats it as null', () => {
    const raw = envelope();
    delete raw.causationId;
    const result = validateEvent(raw, registry);
    expect(result.ok && result.envelope.causationId).toBeNull();
  });

  it('names every failing envelope field', () => {
    const result = validateEvent(
      envelope({ eventId: 'nope', version: 0, dealerCode: '', occurredAt: 'yesterday' }),
      registry,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/^invalid envelope: /);
    for (const field of ['eventId', 'version', 'dealerCode', 'occurredAt'])
      expect(result.reason).toContain(`${field}:`);
  });

  it('refuses a version given as a string', () => {
    const result = validateEvent(envelope({ version: '1' }), registry);
    expect(!result.ok && result.reason).toContain('version:');
  });

  it('refuses non-objects', () => {
    for (const raw of [null, 42, 'x', [1]]) {
      const result = validateEvent(raw, registry);
      expect(result.ok).toBe(false);
    }
    expect(validateEvent(envelope({ payload: 'x' }), registry).ok).toBe(false);
  });

  it('reports unknown type and version', () => {
    const result = validateEvent(envelope({ version: 2 }), registry);
    expect(result).toEqual({ ok: false, reason: 'unknown event type test.order-placed version 2' });
  });

  it('names nested payload fields and refuses unknown payload fields', () => {
    const result = validateEvent(
      envelope({ payload: { orderNo: 5, lines: [{ serial: 'S1', quantity: 0 }], extra: true } }),
      registry,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/^invalid payload of test\.order-placed v1: /);
    expect(result.reason).toContain('payload.orderNo: must be a string');
    expect(result.reason).toContain('payload.lines.0.quantity: must not be less than 1');
    expect(result.reason).toContain('payload.extra: property extra should not exist');
  });

  it('strips unknown envelope fields instead of refusing them', () => {
    const result = validateEnvelope(envelope({ futureField: 1 }));
    expect(result.ok).toBe(true);
    expect(result.ok && 'futureField' in result.envelope).toBe(false);
  });

  it('registry: refuses conflicting re-registration, lists topics', () => {
    const r = new EventRegistry().register(OrderPlacedV1, OrderPlacedV1);
    const other = defineEvent({ type: 'test.order-placed', version: 1, topic: Topics.returns, payload: OrderPlaced });
    expect(() => r.register(other)).toThrow(/already registered/);
    r.register(defineEvent({ type: 'x', version: 1, topic: Topics.returns, payload: OrderPlaced }));
    expect(r.topicsOf()).toEqual(['dealers.events.v1', 'returns.events.v1']);
    expect(r.get('x', 1)?.topic).toBe('returns.events.v1');
    expect(r.get('x', 2)).toBeUndefined();
  });

  it('defineEvent validates its input', () => {
    expect(() => defineEvent({ type: 't', version: 0, topic: 'a', payload: OrderPlaced })).toThrow();
    expect(() => defineEvent({ type: '', version: 1, topic: 'a', payload: OrderPlaced })).toThrow();
  });

  it('topics', () => {
    expect(Topics.settlement).toBe('settlement.events.v1');
    expect(deadLetterTopic('settlement')).toBe('settlement.dlq.v1');
  });

  it('the dealer registry has a topic of its own, still produced by dealers', () => {
    expect(Topics.dealerRegistry).toBe('dealers.registry.v1');
    expect(producerOfTopic(Topics.dealerRegistry)).toBe('dealers');
    expect(producerOfTopic(Topics.dealers)).toBe('dealers');
    expect([DealerRegistered.topic, AgreementVersionSet.topic]).toEqual([Topics.dealerRegistry, Topics.dealerRegistry]);
    expect([DealerRegistered.version, AgreementVersionSet.version]).toEqual([1, 1]);
    expect(WarrantyCardsAccepted.topic).toBe(Topics.dealers);
  });
});
