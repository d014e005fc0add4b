import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';

export const IDEMPOTENCY_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Rows per DELETE, so one sweep never holds many row locks or writes much WAL at once. */
const SWEEP_BATCH = 5000;

/** Deletes stored answers older than the retention period: at start, then every hour. */
@Injectable()
export class IdempotencySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencySweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweepLogged();
    this.timer = setInterval(() => void this.sweepLogged(), IDEMPOTENCY_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes the expired answers; returns how many. One sweep at a time. */
  sweep(): Promise<number> {
    this.running ??= this.deleteExpired().finally(() => (this.running = undefined));
    return this.running;
  }

  private async deleteExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM idempotency_records r
          USING (SELECT ctid FROM idempotency_records
                  WHERE created_at < now() - make_interval(hours => $1)
                  LIMIT ${SWEEP_BATCH}) expired
          WHERE r.ctid = expired.ctid`,
        [this.config.idempotencyRetentionHours],
      )) as [unknown, number];
      total += deleted;
      if (deleted < SWEEP_BATCH) return total;
    }
  }

  private async sweepLogged(): Promise<void> {
    try {
      const deleted = await this.sweep();
      if (deleted > 0)
        this.logger.log(`deleted ${deleted} idempotency answers older than ${this.config.idempotencyRetentionHours} h`);
    } catch (err) {
      this.logger.warn(`idempotency sweep failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
