import { Inject, Injectable, Logger } from '@nestjs/common';
import { Message } from 'kafkajs';
import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { KafkaClients } from './kafka-clients';
import { MESSAGING_OPTIONS, outboxChannel, ResolvedMessagingOptions } from './messaging.options';
import { backoffDelay, errorMessage } from './retry';

export const RELAY_BATCH_SIZE = 500;
/** First key of the two-key advisory lock (ASCII "OBXR"); the second is hashtext(service). */
const RELAY_LOCK_CLASS = 0x4f425852;
const BACKOFF_INITIAL_MS = 100;
const BACKOFF_CAP_MS = 5000;

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  /** The stored envelope text, sent as the message value unchanged. */
  envelope: string;
  headers: Record<string, string>;
}

type PassResult = 'drained' | 'more' | 'locked';

/**
 * Publishes the outbox. Woken by NOTIFY on commit (milliseconds) with a fallback poll. One
 * relay per service is active at a time (advisory lock), rows go out in id order, so events
 * with the same key keep their order. Failures are recorded on the rows and retried with
 * capped exponential backoff; the relay never stops on its own.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly channel: string;
  private running = false;
  private listener?: Client;
  private listenerRetry?: NodeJS.Timeout;
  private listenerFailures = 0;
  private pollTimer?: NodeJS.Timeout;
  private wakeTimer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private wakeRequested = false;
  private failures = 0;
  private lastError?: string;
  private lastPassAt?: number;
  private published = 0;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: ResolvedMessagingOptions,
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClients,
  ) {
    this.channel = outboxChannel(options.serviceName);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connectListener();
    this.pollTimer = setInterval(() => this.wake(), this.options.relayPollMs);
    this.pollTimer.unref?.();
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.pollTimer);
    clearTimeout(this.listenerRetry);
    clearTimeout(this.wakeTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }

  /** Asks for a pass now (or right after the current one). */
  wake(): void {
    if (!this.running) return;
    this.wakeRequested = true;
    if (this.loop || this.wakeTimer) return;
    this.loop = this.runLoop().finally(() => {
      this.loop = undefined;
      if (this.wakeRequested && this.running && !this.wakeTimer) this.wake();
    });
  }

  /** Unpublished rows in the outbox. */
  async pendingCount(): Promise<number> {
    const rows: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM outbox_messages WHERE published_at IS NULL`,
    );
    return Number(rows[0].n);
  }

  state(): { running: boolean; failing: boolean; consecutiveFailures: number; lastError: string | null; lastPassAt: string | null; published: number; listening: boolean } {
    return {
      running: this.running,
      failing: this.failures > 0,
      consecutiveFailures: this.failures,
      lastError: this.lastError ?? null,
      lastPassAt: this.lastPassAt ? new Date(this.lastPassAt).toISOString() : null,
      published: this.published,
      listening: !!this.listener,
    };
  }

  private async runLoop(): Promise<void> {
    while (this.running && this.wakeRequested) {
      this.wakeRequested = false;
      let result: PassResult;
      try {
        result = await this.pass();
        if (this.failures > 0) this.logger.log(`outbox relay recovered after ${this.failures} failed passes`);
        this.failures = 0;
        this.lastError = undefined;
      } catch (err) {
        this.failures++;
        this.lastError = errorMessage(err);
        const delay = backoffDelay(this.failures, BACKOFF_INITIAL_MS, BACKOFF_CAP_MS);
        this.logger.warn(`outbox relay pass failed (${this.failures} in a row), retrying in ${delay} ms: ${this.lastError}`);
        // Notifications and polls that arrive during the backoff are folded into the retry.
        this.wakeRequested = false;
        if (!this.running) return;
        this.wakeTimer = setTimeout(() => {
          this.wakeTimer = undefined;
          this.wake();
        }, delay);
        return;
      }
      if (result === 'more') this.wakeRequested = true;
    }
  }

  /** One transaction: lock, read a batch, send it, mark it. */
  private async pass(): Promise<PassResult> {
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      this.lastPassAt = Date.now();
      const [{ locked }] = await qr.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`, [
        RELAY_LOCK_CLASS,
        this.options.serviceName,
      ]);
      if (!locked) {
        await qr.commitTransaction();
        return 'locked';
      }
      const rows: OutboxRow[] = await qr.query(
        `SELECT id, topic, message_key, envelope::text AS envelope, headers
           FROM outbox_messages
          WHERE published_at IS NULL
          ORDER BY id
          LIMIT ${RELAY_BATCH_SIZE}
          FOR UPDATE`,
      );
      if (rows.length === 0) {
        await qr.commitTransaction();
        return 'drained';
      }
      const ids = rows.map((r) => r.id);
      try {
        await this.kafka.sendBatch(groupByTopic(rows));
      } catch (err) {
        await qr.query(
          `UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
          [ids, errorMessage(err).slice(0, 4000)],
        );
        await qr.commitTransaction();
        throw err;
      }
      await qr.query(
        `UPDATE outbox_messages SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::bigint[])`,
        [ids],
      );
      await qr.commitTransaction();
      this.published += rows.length;
      return rows.length === RELAY_BATCH_SIZE ? 'more' : 'drained';
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  }

  private async connectListener(): Promise<void> {
    if (!this.running) return;
    const client = new Client(pgConfigOf(this.dataSource));
    const retry = (err: unknown): void => {
      if (this.listener === client) this.listener = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end().catch(() => undefined);
      if (!this.running) return;
      this.listenerFailures++;
      const delay = backoffDelay(this.listenerFailures, 200, BACKOFF_CAP_MS);
      this.logger.warn(`outbox LISTEN connection lost (${errorMessage(err)}), reconnecting in ${delay} ms`);
      clearTimeout(this.listenerRetry);
      this.listenerRetry = setTimeout(() => void this.connectListener(), delay);
    };
    client.on('error', retry);
    client.on('end', () => {
      if (this.running && this.listener === client) retry(new Error('connection ended'));
    });
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
      if (!this.running) {
        await client.end().catch(() => undefined);
        return;
      }
      this.listener = client;
      this.listenerFailures = 0;
      // Anything committed while we were not listening is picked up now.
      this.wake();
    } catch (err) {
      retry(err);
    }
  }
}

function groupByTopic(rows: OutboxRow[]): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    let list = byTopic.get(row.topic);
    if (!list) byTopic.set(row.topic, (list = []));
    list.push({ key: row.message_key, value: row.envelope, headers: row.headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** pg connection settings of a TypeORM postgres DataSource (url or discrete fields). */
export function pgConfigOf(dataSource: DataSource): ClientConfig {
  const o = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: string | (() => string | Promise<string>);
    database?: string;
    ssl?: ClientConfig['ssl'];
    applicationName?: string;
  };
  return {
    connectionString: o.url,
    host: o.host,
    port: o.port,
    user: o.username,
    password: o.password as ClientConfig['password'],
    database: o.database,
    ssl: o.ssl,
    application_name: `${o.applicationName ?? 'app'}-outbox-listener`,
    keepAlive: true,
  };
}
