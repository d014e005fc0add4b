import { Logger, OnApplicationBootstrap, OnModuleDestroy, Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { runAlone } from './run-alone';

/**
 * Work a service does on its own every interval (a sweep, a tally check). One run at a time: a
 * tick that finds the previous run still going is skipped, and, given `alone` (as `intervalJob`
 * gives it), so is a tick while another instance of the service runs the job. A failed run is
 * logged and the next tick tries again. `intervalMs` null or 0: never scheduled (tests call the
 * work directly).
 */
export class IntervalJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    readonly name: string,
    private readonly intervalMs: number | null,
    private readonly work: () => Promise<unknown>,
    private readonly alone?: (work: () => Promise<unknown>) => Promise<boolean>,
  ) {
    this.logger = new Logger(`IntervalJob ${name}`);
  }

  onApplicationBootstrap(): void {
    if (!this.intervalMs) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs the work once unless a run is under way. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (this.alone) await this.alone(this.work);
      else await this.work();
    } catch (err) {
      this.logger.error(`${this.name} failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}

/**
 * A provider of an IntervalJob whose interval and work come from other providers, run by one
 * instance of the service at a time (`runAlone` on the service's database), e.g.
 * `intervalJob(TallyJob, 'tally check', [ServiceConfig, TalliesService, Clock], (c) => c.tallyCheckMs, (c, t, clock) => t.tallyDue(clock.now()))`.
 */
export function intervalJob<D extends unknown[]>(
  token: string | symbol | (abstract new (...args: never[]) => unknown),
  name: string,
  inject: { [K in keyof D]: unknown },
  intervalMs: (...deps: D) => number | null,
  work: (...deps: D) => Promise<unknown>,
): Provider {
  return {
    provide: token as string | symbol,
    inject: [...(inject as never[]), getDataSourceToken()],
    useFactory: (...args: [...D, DataSource]) => {
      const deps = args.slice(0, -1) as D;
      const dataSource = args[args.length - 1] as DataSource;
      return new IntervalJob(
        name,
        intervalMs(...deps),
        () => work(...deps),
        (run) => runAlone(dataSource, name, run),
      );
    },
  };
}
