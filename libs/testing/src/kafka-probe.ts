import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';

/** A valid event envelope as a producing service writes it (see libs/contracts/src/envelope.ts). */
export function testEnvelope(
  type: string,
  dealerCode: string,
  payload: unknown,
  opts: { producer?: string; occurredAt?: Date; version?: number } = {},
) {
  return {
    eventId: randomUUID(),
    type,
    version: opts.version ?? 1,
    occurredAt: (opts.occurredAt ?? new Date()).toISOString(),
    producer: opts.producer ?? 'dealers',
    dealerCode,
    correlationId: randomUUID(),
    causationId: null,
    payload,
  };
}

/**
 * A plain Kafka client for tests that must act outside the services: publish a message
 * exactly as given (a duplicate, a malformed event) or read what landed on a topic.
 */
export class KafkaProbe {
  private readonly kafka: Kafka;
  private producer?: Producer;
  private readonly consumers: Consumer[] = [];

  constructor(brokers: string[]) {
    this.kafka = new Kafka({ clientId: 'test-probe', brokers, logLevel: logLevel.NOTHING });
  }

  async publish(topic: string, key: string, value: string, headers: Record<string, string> = {}): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    await this.producer.send({ topic, acks: -1, messages: [{ key, value, headers }] });
  }

  /** Publishes a fresh, valid envelope keyed by dealer code; the producer is the topic's service (`dealers.registry.v1` → dealers). */
  async publishEvent(topic: string, type: string, dealerCode: string, payload: unknown): Promise<void> {
    await this.publish(
      topic,
      dealerCode,
      JSON.stringify(testEnvelope(type, dealerCode, payload, { producer: topic.split('.')[0] })),
    );
  }

  /** Collects every message of a topic from the beginning into the returned array as it arrives. */
  async collect(
    topic: string,
  ): Promise<Array<{ key: string | null; value: string | null; headers: Record<string, string> }>> {
    const seen: Array<{ key: string | null; value: string | null; headers: Record<string, string> }> = [];
    const consumer = this.kafka.consumer({
      groupId: `probe-${topic}-${Date.now()}-${Math.random()}`,
      allowAutoTopicCreation: true,
    });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = v === undefined ? '' : String(v);
        seen.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers });
      },
    });
    return seen;
  }

  /** The offsets a consumer group committed on a topic, by partition (`-1`: none). */
  async committedOffsets(groupId: string, topic: string): Promise<Array<{ partition: number; offset: string }>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (entry?.partitions ?? []).map(({ partition, offset }) => ({ partition, offset }));
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    await this.producer?.disconnect().catch(() => undefined);
  }
}
