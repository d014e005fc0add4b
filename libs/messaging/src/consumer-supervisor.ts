import { backoffDelay, errorMessage } from './retry';
import { RetryPolicy } from './messaging.options';

/** The part of a kafkajs consumer the supervisor needs (a fake in unit tests). */
export interface SupervisedConsumer {
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export type ConsumerStatus = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export interface SupervisorLogger {
  warn(message: string): void;
  error(message: string): void;
  log(message: string): void;
}

/**
 * Keeps one consumer alive: when it crashes for good or stops unexpectedly it is disposed,
 * re-created and started again with exponential backoff; after `policy.attempts`
 * consecutive failed restarts `onFatal` is called (the default exits the process, so no
 * process lives on consuming nothing). A consumer that joins its group resets the count.
 */
export class ConsumerSupervisor {
  private current?: SupervisedConsumer;
  private status: ConsumerStatus = 'idle';
  private consecutiveFailures = 0;
  private restarts = 0;
  private restartTimer?: NodeJS.Timeout;
  private restarting?: Promise<void>;
  private lastError?: string;
  private generation = 0;
  private spawning = false;
  /** A loss reported while the consumer was still starting (kafkajs may crash inside run()). */
  private lossWhileSpawning?: Error;

  constructor(
    private readonly create: (events: { lost: (err: Error) => void; healthy: () => void }) => SupervisedConsumer,
    private readonly policy: RetryPolicy,
    private readonly onFatal: (err: Error) => void,
    private readonly logger: SupervisorLogger,
  ) {}

  state(): { status: ConsumerStatus; restarts: number; consecutiveFailures: number; lastError: string | null } {
    return {
      status: this.status,
      restarts: this.restarts,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError ?? null,
    };
  }

  isRunning(): boolean {
    return this.status === 'running';
  }

  /** First start; a failure goes through the same restart budget. */
  async start(): Promise<void> {
    this.status = 'starting';
    try {
      await this.spawn();
      this.status = 'running';
    } catch (err) {
      this.lost(this.generation, toError(err));
    }
  }

  async stop(): Promise<void> {
    this.status = 'stopped';
    clearTimeout(this.restartTimer);
    await this.restarting?.catch(() => undefined);
    const c = this.current;
    this.current = undefined;
    await c?.dispose().catch(() => undefined);
  }

  /** Reports that the consumer of `generation` is gone; schedules a restart. */
  lost(generation: number, err: Error): void {
    if (this.status === 'stopped' || this.status === 'failed') return;
    if (generation !== this.generation) return;
    if (this.spawning) {
      this.lossWhileSpawning ??= err;
      return;
    }
    if (this.status === 'restarting') return;
    this.lastError = errorMessage(err);
    this.consecutiveFailures++;
    if (this.consecutiveFailures > this.policy.attempts) {
      this.status = 'failed';
      this.logger.error(`consumer could not be restarted after ${this.policy.attempts} tries: ${this.lastError}`);
      const c = this.current;
      this.current = undefined;
      void c?.dispose().catch(() => undefined);
      this.onFatal(new Error(`Kafka consumer is down and could not be restarted: ${this.lastError}`));
      return;
    }
    const delay = backoffDelay(this.consecutiveFailures, this.policy.initialDelayMs, 30_000);
    this.status = 'restarting';
    this.logger.warn(
      `consumer lost (${this.lastError}); restart ${this.consecutiveFailures}/${this.policy.attempts} in ${delay} ms`,
    );
    this.restartTimer = setTimeout(() => {
      this.restarting = this.restart().finally(() => (this.restarting = undefined));
    }, delay);
  }

  private async restart(): Promise<void> {
    if (this.status !== 'restarting') return;
    this.restarts++;
    try {
      await this.spawn();
      if (this.status === 'restarting') {
        this.status = 'running';
        this.logger.log('consumer restarted');
      }
    } catch (err) {
      if (this.status !== 'restarting') return;
      this.status = 'running'; // let lost() account for it
      this.lost(this.generation, toError(err));
    }
  }

  private async spawn(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    await old?.dispose().catch(() => undefined);
    const generation = ++this.generation;
    const consumer = this.create({
      lost: (err) => this.lost(generation, err),
      healthy: () => {
        if (generation === this.generation) this.consecutiveFailures = 0;
      },
    });
    this.current = consumer;
    this.spawning = true;
    this.lossWhileSpawning = undefined;
    try {
      await consumer.start();
    } finally {
      this.spawning = false;
    }
    // kafkajs' run() can resolve after the consumer already crashed during its first join: such
    // a start is a failed start, not a running consumer.
    if (this.lossWhileSpawning) throw this.lossWhileSpawning;
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
