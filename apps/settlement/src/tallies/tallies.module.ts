import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { TallyClock } from './tally-clock';
import { TalliesController } from './tallies.controller';
import { TalliesService } from './tallies.service';

export const TALLY_CHECK_INTERVAL = 'TALLY_CHECK_INTERVAL';

/**
 * The scheduled tally check (R-SET-1): every interval, months whose report due time passed are
 * tallied. Off under Jest (tests call TalliesService.tallyDue with their own instant); the
 * interval comes from SETTLEMENT_TALLY_CHECK_MS (default 10 minutes, 0 = off).
 */
@Injectable()
export class TallyScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TallyScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(TALLY_CHECK_INTERVAL) private readonly intervalMs: number | null,
    private readonly tallies: TalliesService,
    private readonly clock: TallyClock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.intervalMs) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.tallies.tallyDue(this.clock.now());
    } catch (err) {
      this.logger.error(`tally check failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}

function intervalFromEnv(): number | null {
  if (process.env.JEST_WORKER_ID !== undefined) return null;
  const raw = process.env.SETTLEMENT_TALLY_CHECK_MS;
  const ms = raw === undefined || raw === '' ? 10 * 60_000 : Number(raw);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

@Module({
  imports: [ProjectionsModule],
  controllers: [TalliesController],
  providers: [
    TalliesService,
    TallyClock,
    TallyScheduler,
    { provide: TALLY_CHECK_INTERVAL, useFactory: intervalFromEnv },
  ],
  exports: [TalliesService, TallyClock],
})
export class TalliesModule {}
