import { outboxChannel, resolveMessagingOptions } from './messaging.options';

describe('messaging options', () => {
  it('applies defaults', () => {
    const o = resolveMessagingOptions({ serviceName: 'settlement', brokers: ['b:9092'], idempotentProducer: false });
    expect(o).toMatchObject({
      consumerGroupId: 'settlement',
      relayPollMs: 1000,
      retry: { attempts: 5, initialDelayMs: 200 },
      consumerRestart: { attempts: 5, initialDelayMs: 500 },
    });
  });

  it('refuses nonsense', () => {
    expect(() => resolveMessagingOptions({ serviceName: '', brokers: ['b'], idempotentProducer: false })).toThrow();
    expect(() => resolveMessagingOptions({ serviceName: 'a b', brokers: ['b'], idempotentProducer: false })).toThrow();
    expect(() => resolveMessagingOptions({ serviceName: 'a', brokers: [], idempotentProducer: false })).toThrow();
    expect(() =>
      resolveMessagingOptions({
        serviceName: 'a',
        brokers: ['b'],
        idempotentProducer: false,
        retry: { attempts: 0, initialDelayMs: 1 },
      }),
    ).toThrow(/retry/);
  });

  it('derives a safe NOTIFY channel', () => {
    expect(outboxChannel('Dealers-Service.1')).toBe('outbox_dealers_service_1');
  });
});
