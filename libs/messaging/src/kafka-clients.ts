import { Inject, Injectable, Logger } from '@nestjs/common';
import { Consumer, Kafka, logLevel, LogEntry, Partitioners, Producer, ProducerRecord } from 'kafkajs';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from './messaging.options';

const SEND_TIMEOUT_MS = 20_000;

/**
 * Owns the kafkajs client, the one producer of the process (used by the outbox relay and
 * for dead letters) and creates consumers. Timeouts are short enough that a dead broker
 * is noticed in seconds, and tuned for the local mock broker (no admin, no idempotence).
 */
@Injectable()
export class KafkaClients {
  private readonly logger = new Logger('Kafka');
  readonly kafka: Kafka;
  private producerInstance?: Producer;
  private producerConnected = false;
  private connecting?: Promise<void>;
  private lastSendOkAt?: number;
  private lastSendError?: string;

  constructor(@Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions) {
    this.kafka = new Kafka({
      clientId: options.serviceName,
      brokers: options.brokers,
      connectionTimeout: 3000,
      authenticationTimeout: 3000,
      requestTimeout: 10000,
      enforceRequestTimeout: true,
      retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 5, factor: 0.2, multiplier: 2 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.log(entry),
    });
  }

  private log({ level, namespace, log }: LogEntry): void {
    const { message, ...extra } = log;
    const text = `${namespace}: ${message}${Object.keys(extra).length ? ` ${safeJson(extra)}` : ''}`;
    if (level === logLevel.ERROR) this.logger.error(text);
    else if (level === logLevel.WARN) this.logger.warn(text);
    else if (level === logLevel.INFO) this.logger.log(text);
    else this.logger.debug(text);
  }

  get producer(): Producer {
    if (!this.producerInstance) {
      const producer = this.kafka.producer({
        idempotent: this.options.idempotentProducer,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      producer.on(producer.events.CONNECT, () => {
        if (this.producerInstance === producer) this.producerConnected = true;
      });
      producer.on(producer.events.DISCONNECT, () => {
        if (this.producerInstance === producer) this.producerConnected = false;
      });
      this.producerInstance = producer;
    }
    return this.producerInstance;
  }

  isProducerConnected(): boolean {
    return this.producerConnected;
  }

  /** Connects the producer if it is not (concurrent callers share one attempt). */
  async ensureProducer(): Promise<Producer> {
    const producer = this.producer;
    if (this.producerConnected) return producer;
    this.connecting ??= producer.connect().finally(() => (this.connecting = undefined));
    await this.connecting;
    return producer;
  }

  /**
   * Bounds a producer call: kafkajs can leave a request pending forever after a broker
   * outage (one in flight). On timeout the producer is replaced so the next try starts clean.
   */
  private async bounded<T>(what: string, run: (producer: Producer) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${SEND_TIMEOUT_MS} ms`)), SEND_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.ensureProducer().then(run), timeout]);
    } catch (err) {
      if (err instanceof Error && err.message.includes('timed out after')) this.resetProducer();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops the current producer (disconnecting it in the background). */
  resetProducer(): void {
    const old = this.producerInstance;
    this.producerInstance = undefined;
    this.producerConnected = false;
    this.connecting = undefined;
    if (old) {
      this.logger.warn('replacing the Kafka producer');
      void old.disconnect().catch(() => undefined);
    }
  }

  /** Sends with acks=-1 and records the outcome for the health check. */
  async send(record: Omit<ProducerRecord, 'acks'>): Promise<void> {
    try {
      await this.bounded('send', (producer) => producer.send({ ...record, acks: -1 }));
      this.lastSendOkAt = Date.now();
      this.lastSendError = undefined;
    } catch (err) {
      this.lastSendError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  async sendBatch(topicMessages: NonNullable<Parameters<Producer['sendBatch']>[0]['topicMessages']>): Promise<void> {
    try {
      await this.bounded('sendBatch', (producer) => producer.sendBatch({ topicMessages, acks: -1 }));
      this.lastSendOkAt = Date.now();
      this.lastSendError = undefined;
    } catch (err) {
      this.lastSendError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  producerState(): { connected: boolean; lastSendOkAt: string | null; lastSendError: string | null } {
    return {
      connected: this.producerConnected,
      lastSendOkAt: this.lastSendOkAt ? new Date(this.lastSendOkAt).toISOString() : null,
      lastSendError: this.lastSendError ?? null,
    };
  }

  createConsumer(groupId: string): Consumer {
    return this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: true,
      sessionTimeout: 10000,
      rebalanceTimeout: 10000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 250,
      retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 8 },
    });
  }

  async disconnectProducer(): Promise<void> {
    const producer = this.producerInstance;
    this.producerInstance = undefined;
    if (!producer) return;
    try {
      await this.connecting?.catch(() => undefined);
      await producer.disconnect();
    } catch (err) {
      this.logger.warn(`producer disconnect failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.producerConnected = false;
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return '[unserialisable]';
  }
}
