import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Admin,
  Consumer,
  Kafka,
  logLevel,
  LogEntry,
  PartitionMetadata,
  Partitioners,
  Producer,
  ProducerRecord,
} from 'kafkajs';
import { fixRequestQueueIdleLoop } from './kafkajs/request-queue-idle-loop';
import { MESSAGING_OPTIONS, ResolvedMessagingOptions } from './messaging.options';

const SEND_TIMEOUT_MS = 20_000;
/** A metadata request that takes longer than this counts as the broker being unreachable. */
const PING_TIMEOUT_MS = 2_500;
/** How long a ping answer is reused (health checks may come often). */
const PING_CACHE_MS = 2_000;
/** How long /health waits for a new ping before it answers with the previous one. */
const PING_WAIT_MS = 500;
/** Partition counts are re-read this often, so a topic that gained partitions is noticed. */
const PARTITION_COUNT_TTL_MS = 60_000;

/** The partition a keyed message goes to on a topic of `count` partitions (kafkajs' default, Java-compatible murmur2). */
export function partitionOfKey(key: string, count: number): number {
  let partitionMetadata = metadataOfCount.get(count);
  if (!partitionMetadata) {
    partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [],
      isr: [],
      partitionErrorCode: 0,
    }));
    metadataOfCount.set(count, partitionMetadata);
  }
  return keyPartitioner({ topic: '', partitionMetadata, message: { key, value: null } });
}
const keyPartitioner = Partitioners.DefaultPartitioner();
/** The partitioner only reads how many partitions there are: one list per count serves every key. */
const metadataOfCount = new Map<number, PartitionMetadata[]>();

export interface OffsetReset {
  topic: string;
  partition: number;
  groupId: string;
}

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
  private adminClient?: Promise<Admin>;
  private lastPing?: { at: number; result: Promise<BrokerPing> };
  private pingInFlight?: Promise<BrokerPing>;
  private readonly partitionCounts = new Map<string, { count: number; at: number }>();
  private readonly offsetResetListeners: Array<(reset: OffsetReset) => void> = [];

  constructor(@Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions) {
    fixRequestQueueIdleLoop();
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
    // kafkajs jumps to the default offset when the broker no longer holds the committed one; the
    // consumer finds the lost range by its sequences, this only counts the jump.
    if (message === 'Offset out of range, resetting to default offset') {
      const reset = { topic: String(extra.topic), partition: Number(extra.partition), groupId: String(extra.groupId) };
      for (const listener of this.offsetResetListeners) listener(reset);
    }
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

  onOffsetReset(listener: (reset: OffsetReset) => void): void {
    this.offsetResetListeners.push(listener);
  }

  private admin(): Promise<Admin> {
    this.adminClient ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      return admin;
    })().catch((err) => {
      this.adminClient = undefined;
      throw err;
    });
    return this.adminClient;
  }

  private async withAdmin<T>(what: string, run: (admin: Admin) => Promise<T>, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.admin().then(run), timeout]);
    } catch (err) {
      // A dead connection is not reused: the next call connects again.
      const admin = this.adminClient;
      this.adminClient = undefined;
      void admin?.then((a) => a.disconnect()).catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Partitions of a topic (the broker creates the topic if it auto-creates topics). */
  async partitionCount(topic: string): Promise<number> {
    const cached = this.partitionCounts.get(topic);
    if (cached && Date.now() - cached.at < PARTITION_COUNT_TTL_MS) return cached.count;
    const metadata = await this.withAdmin(
      'topic metadata',
      (admin) => admin.fetchTopicMetadata({ topics: [topic] }),
      SEND_TIMEOUT_MS,
    );
    const count = metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
    if (count < 1) throw new Error(`topic ${topic} has no partitions`);
    this.partitionCounts.set(topic, { count, at: Date.now() });
    return count;
  }

  /**
   * Whether a broker answers a metadata request (for /health). A fresh answer is reused briefly;
   * a new ping that takes long (a broker that is down may not refuse, only stay silent) is not
   * waited for beyond PING_WAIT_MS: the previous answer is returned, marked stale, meanwhile.
   */
  async ping(): Promise<BrokerPing> {
    const last = this.lastPing;
    if (last && Date.now() - last.at < PING_CACHE_MS) return last.result;
    if (!this.pingInFlight) {
      const started = Date.now();
      const result = this.withAdmin('broker ping', (admin) => admin.describeCluster(), PING_TIMEOUT_MS).then(
        (cluster): BrokerPing => ({ reachable: true, brokers: cluster.brokers.length, ms: Date.now() - started }),
        (err: unknown): BrokerPing => ({
          reachable: false,
          error: err instanceof Error ? err.message : String(err),
          ms: Date.now() - started,
        }),
      );
      this.pingInFlight = result.finally(() => {
        this.lastPing = { at: Date.now(), result };
        this.pingInFlight = undefined;
      });
    }
    const inFlight = this.pingInFlight;
    if (!last) return inFlight;
    let timer: NodeJS.Timeout | undefined;
    const stale = new Promise<BrokerPing>((resolve) => {
      timer = setTimeout(() => void last.result.then((r) => resolve({ ...r, stale: true })), PING_WAIT_MS);
    });
    try {
      return await Promise.race([inFlight, stale]);
    } finally {
      clearTimeout(timer);
    }
  }

  createConsumer(groupId: string): Consumer {
    return this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: true,
      sessionTimeout: 10000,
      rebalanceTimeout: 10000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs,
      retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 8 },
    });
  }

  async disconnectAdmin(): Promise<void> {
    const admin = this.adminClient;
    this.adminClient = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
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

export type BrokerPing = (
  { reachable: true; brokers: number; ms: number } | { reachable: false; error: string; ms: number }
) & { stale?: boolean };

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return '[unserialisable]';
  }
}
