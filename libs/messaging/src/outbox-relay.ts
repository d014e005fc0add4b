import { Inject, Injectable, Logger } from '@nestjs/common';
import { Message } from 'kafkajs';
import { Client, ClientConfig } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { KafkaClients, partitionOfKey } from './kafka-clients';
import { MESSAGING_OPTIONS, outboxChannel, ResolvedMessagingOptions } from './messaging.options';
import { HEADER_EVENT_SEQ } from './outbox.service';
import { backoffDelay, errorMessage } from './retry';

export const RELAY_BATCH_SIZE = 500;
/** First key of the two-key advisory lock (ASCII "OBXR"); the second is hashtext(service). */
const RELAY_LOCK_CLASS = 0x4f425852;
const BACKOFF_INITIAL_MS = 100;
const BACKOFF_CAP_MS = 5000;
const SWEEP_EVERY_MS = 10 * 60_000;
const SWEEP_CHUNK = 1000;

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  partition: number;
  seq: string;
  /** The stored envelope text, sent as the message value unchanged. */
  envelope: string;
  headers: Record<string, string>;
}

type PassResult = 'drained' | 'more' | 'locked';

/**
 * Publishes the outbox. Woken by NOTIFY on commit (milliseconds) with a fallback poll. One
 * relay per service is active at a time (advisory lock). Each row is first given its partition
 * and a gap-free sequence number within (topic, partition), then sent in that order with the
 * number in the `event-seq` header, so events with the same key keep their order and a consumer
 * can prove it saw every one. Failures are recorded on the rows and retried with capped
 * exponential backoff; the relay never stops on its own.
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
  private lastSweepAt = 0;
  /**
   * Set by the fallback poll. Its pass first asks whether anything is unpublished at all (one
   * probe of the partial index) before two locked transactions: an idle service made eight
   * round trips a second for nothing. NOTIFY wakes go straight to the pass.
   */
  private pollAsked = false;

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
    this.pollTimer = setInterval(() => {
      this.pollAsked = true;
      this.wake();
    }, this.options.relayPollMs);
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

  state(): {
    running: boolean;
    failing: boolean;
    consecutiveFailures: number;
    lastError: string | null;
    lastPassAt: string | null;
    published: number;
    listening: boolean;
  } {
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
      const polled = this.pollAsked;
      this.pollAsked = false;
      try {
        result = polled && !(await this.hasUnpublished()) ? await this.idlePass() : await this.pass();
        if (this.failures > 0) this.logger.log(`outbox relay recovered after ${this.failures} failed passes`);
        this.failures = 0;
        this.lastError = undefined;
      } catch (err) {
        this.failures++;
        this.lastError = errorMessage(err);
        const delay = backoffDelay(this.failures, BACKOFF_INITIAL_MS, BACKOFF_CAP_MS);
        this.logger.warn(
          `outbox relay pass failed (${this.failures} in a row), retrying in ${delay} ms: ${this.lastError}`,
        );
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

  /** One pass: number what is new, then send a batch of what is numbered; now and then drop what is past retention. */
  private async pass(): Promise<PassResult> {
    const numbered = await this.inLockedTransaction((qr) => this.assignSequences(qr));
    if (numbered === 'locked') return 'locked';
    const sent = await this.inLockedTransaction((qr) => this.publishBatch(qr));
    if (sent === 'locked') return 'locked';
    if (numbered === RELAY_BATCH_SIZE || sent === RELAY_BATCH_SIZE) return 'more';
    await this.sweepIfDue();
    return 'drained';
  }

  /** Whether any row is waiting to be numbered or sent. */
  private async hasUnpublished(): Promise<boolean> {
    const [{ waiting }] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM outbox_messages WHERE published_at IS NULL) AS waiting`,
    );
    return waiting === true;
  }

  /** A poll that found nothing to send: only the retention sweep, when due. */
  private async idlePass(): Promise<PassResult> {
    this.lastPassAt = Date.now();
    await this.sweepIfDue();
    return 'drained';
  }

  /** Runs `work` in a transaction holding the relay's advisory lock; 'locked' when another relay holds it. */
  private async inLockedTransaction<T>(work: (qr: QueryRunner) => Promise<T>): Promise<T | 'locked'> {
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
      const result = await work(qr);
      await qr.commitTransaction();
      return result;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  }

  /**
   * Gives each new row its partition (the one its key hashes to) and the next sequence number of
   * that (topic, partition), in id order. Committed before anything is sent, so a row keeps its
   * number through every resend and a consumer can tell a lost message from a duplicate.
   */
  private async assignSequences(qr: QueryRunner): Promise<number> {
    const rows: Array<{ id: string; topic: string; message_key: string }> = await qr.query(
      `SELECT id, topic, message_key FROM outbox_messages
        WHERE published_at IS NULL AND seq IS NULL
        ORDER BY id LIMIT ${RELAY_BATCH_SIZE} FOR UPDATE`,
    );
    if (rows.length === 0) return 0;
    const topics = [...new Set(rows.map((r) => r.topic))];
    const counts = new Map<string, number>();
    for (const topic of topics) counts.set(topic, await this.kafka.partitionCount(topic));
    const heads = new Map<string, number>();
    const stored: Array<{ topic: string; partition: number; last_seq: string }> = await qr.query(
      `SELECT topic, partition, last_seq FROM outbox_sequences WHERE topic = ANY($1) FOR UPDATE`,
      [topics],
    );
    for (const h of stored) heads.set(`${h.topic}\u0000${h.partition}`, Number(h.last_seq));
    const partitions: number[] = [];
    const seqs: number[] = [];
    for (const row of rows) {
      const partition = partitionOfKey(row.message_key, counts.get(row.topic)!);
      const head = `${row.topic}\u0000${partition}`;
      const seq = (heads.get(head) ?? 0) + 1;
      heads.set(head, seq);
      partitions.push(partition);
      seqs.push(seq);
    }
    // Every row numbered in this pass shares its pass number: (seq_batch, id) is then an order in
    // which every partition's sequence rises, even when an older id is numbered in a later pass.
    await qr.query(
      `UPDATE outbox_messages m SET partition = u.partition, seq = u.seq, seq_batch = b.n
         FROM unnest($1::bigint[], $2::int[], $3::bigint[]) AS u(id, partition, seq),
              (SELECT nextval('outbox_seq_batch') AS n) AS b
        WHERE m.id = u.id`,
      [rows.map((r) => r.id), partitions, seqs],
    );
    const changed = [...heads].map(([key, last]) => ({
      topic: key.split('\u0000')[0],
      partition: Number(key.split('\u0000')[1]),
      last,
    }));
    await qr.query(
      `INSERT INTO outbox_sequences (topic, partition, last_seq)
       SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
       ON CONFLICT (topic, partition) DO UPDATE SET last_seq = EXCLUDED.last_seq`,
      [changed.map((c) => c.topic), changed.map((c) => c.partition), changed.map((c) => c.last)],
    );
    return rows.length;
  }

  /** Sends numbered rows in the order they were numbered (so each partition's sequence arrives in order), then marks them. */
  private async publishBatch(qr: QueryRunner): Promise<number> {
    const rows: OutboxRow[] = await qr.query(
      `SELECT id, topic, message_key, partition, seq, envelope::text AS envelope, headers
         FROM outbox_messages
        WHERE published_at IS NULL AND seq IS NOT NULL
        ORDER BY seq_batch, id
        LIMIT ${RELAY_BATCH_SIZE}
        FOR UPDATE`,
    );
    if (rows.length === 0) return 0;
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
    this.published += rows.length;
    return rows.length;
  }

  /** Published rows are kept for the retention period (consumers fill gaps from them), then deleted in chunks. */
  private async sweepIfDue(): Promise<void> {
    if (Date.now() - this.lastSweepAt < SWEEP_EVERY_MS) return;
    this.lastSweepAt = Date.now();
    const cutoff = new Date(Date.now() - this.options.outboxRetentionMs);
    for (;;) {
      const [{ n }] = await this.dataSource.query(
        `WITH deleted AS (
           DELETE FROM outbox_messages WHERE id IN (SELECT id FROM outbox_messages WHERE published_at < $1 LIMIT ${SWEEP_CHUNK}) RETURNING 1
         ) SELECT count(*)::int AS n FROM deleted`,
        [cutoff],
      );
      if (n < SWEEP_CHUNK || !this.running) break;
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
    list.push({
      key: row.message_key,
      value: row.envelope,
      partition: row.partition,
      headers: { ...row.headers, [HEADER_EVENT_SEQ]: String(row.seq) },
    });
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
